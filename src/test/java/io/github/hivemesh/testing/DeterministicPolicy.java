package io.github.hivemesh.testing;

import java.util.SplittableRandom;

/**
 * How adversarial a {@link DeterministicHarness} is in one schedule.
 *
 * @param releaseBias  when both are possible, the chance to release a held message rather than
 *                     run a mailbox step: low values let mailboxes drain early, high values pile
 *                     up messages and reorder more across senders
 * @param deferral     the chance, per step, to leave channels whose head is a deferrable message
 *                     (e.g. a completion signal) alone while anything else can move: 1 delays
 *                     signals as long as possible
 * @param order        which queued runnable runs
 */
public record DeterministicPolicy(double releaseBias, double deferral, Order order) {

    /** Which of the queued runnables (mailboxes, worker tasks) runs next. */
    public enum Order {
        /** Any of them, uniformly. */
        RANDOM,
        /** The one queued first (round-robin-like, breadth first). */
        OLDEST,
        /** The one queued last (depth first, starves older mailboxes). */
        NEWEST
    }

    /** Fair: every enabled action equally likely, no deferral. */
    public static final DeterministicPolicy UNIFORM = new DeterministicPolicy(0.5, 0, Order.RANDOM);

    /** Validates the probabilities. */
    public DeterministicPolicy {
        if (!(releaseBias >= 0 && releaseBias <= 1) || !(deferral >= 0 && deferral <= 1)) {
            throw new IllegalArgumentException("probabilities must be in [0, 1]: " + releaseBias
                    + ", " + deferral);
        }
        java.util.Objects.requireNonNull(order, "order");
    }

    /** A policy drawn from {@code random}: a mix of fair and adversarial settings. */
    public static DeterministicPolicy draw(SplittableRandom random) {
        double[] biases = {0.1, 0.5, 0.9};
        double[] deferrals = {0, 0, 0.7, 1};
        Order[] orders = Order.values();
        return new DeterministicPolicy(biases[random.nextInt(biases.length)],
                deferrals[random.nextInt(deferrals.length)],
                orders[random.nextInt(orders.length)]);
    }
}
