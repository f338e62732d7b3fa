package io.github.hivemesh.completion;

import io.github.hivemesh.broker.BrokerMetrics;
import io.github.hivemesh.broker.Message;
import io.github.hivemesh.completion.DiffusingWorkload.WorkItem;
import io.github.hivemesh.testing.DeterministicBroker;
import io.github.hivemesh.testing.DeterministicHarness;
import io.github.hivemesh.testing.VirtualScheduler;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * One schedule of the completion tests: a random diffusing workload on {@link DiffusingPeer}s,
 * the real {@link DistributedCompletionDetector} and the real broker, run step by step by a
 * {@link DeterministicHarness} from one seed. After every step it compares the detector with
 * the harness's own oracles; it reports the first violation, or none.
 *
 * <p>The checks, all independent of the detector's internals:
 * <ul>
 *   <li>a {@code detectCompletion} future completes {@code true} only when every task has ended
 *       and nothing is queued or in flight (a user keeps one such future waiting throughout);</li>
 *   <li>{@code isQuiescent()} equals that oracle after every step (exact, both ways);</li>
 *   <li>once everything has drained, the waiting future is {@code true};</li>
 *   <li>signals delivered == basic messages delivered, counted by the production broker.</li>
 * </ul>
 */
final class CompletionSchedule {

    static final String SWARM = "swarm";
    static final String ROOT = "root";
    private static final long MAX_STEPS = 200_000;
    private static final Duration WAIT = Duration.ofDays(1);

    /** What went wrong in a schedule. */
    enum Violation {
        /** A detectCompletion future completed true while work remained. */
        PREMATURE_COMPLETION,
        /** isQuiescent() disagreed with the oracle. */
        QUIESCENCE_MISMATCH,
        /** Everything ended but the waiting future did not complete true. */
        MISSED_COMPLETION,
        /** Signals and basic messages delivered by the broker differ. */
        SIGNAL_COUNT,
        /** The schedule did not drain within the step limit. */
        LIVELOCK,
        /** The broker refused a held message on release. */
        BROKER_REFUSAL
    }

    /** The result of one schedule; {@code violation} is null when every check held. */
    record Outcome(long seed, DiffusingWorkload.Size size, Violation violation, String detail,
            long steps, long trace, int tasks) {
        boolean ok() {
            return violation == null;
        }

        @Override
        public String toString() {
            return (ok() ? "ok" : violation + ": " + detail) + " [seed=" + seed + ", steps="
                    + steps + ", tasks=" + tasks + "; replay with -Dhivemesh.seed=" + seed
                    + " -Dhivemesh.size=" + size + "]";
        }
    }

    private final long seed;
    private final DiffusingWorkload.Size size;
    private final DeterministicHarness harness;
    private final DeterministicBroker broker;
    private final DiffusingWorkload workload;
    private final DistributedCompletionDetector detector;
    private CompletableFuture<Boolean> waiter;
    private Violation violation;
    private String detail;

    private CompletionSchedule(long seed, DiffusingWorkload.Size size, RuleBreak ruleBreak) {
        this.seed = seed;
        this.size = size;
        this.harness = DeterministicHarness.create(seed,
                m -> IDistributedCompletionDetector.SIGNAL_MESSAGE_TYPE.equals(m.type()));
        this.broker = harness.broker();
        this.workload = DiffusingWorkload.draw(harness.random(), size);
        VirtualScheduler timeouts = new VirtualScheduler();
        this.detector = new DistributedCompletionDetector(SWARM, ROOT,
                SignalTransport.overBroker(broker),
                DistributedCompletionConfig.builder().clock(timeouts.clock())
                        .scheduler(timeouts).build(),
                ruleBreak);
        CompletionRoot root = detector.root();
        broker.onPeerMessage(ROOT, m -> root.onSignal((CompletionProbe) m.payload()));
        for (String peerId : workload.peerIds) {
            broker.onPeerMessage(peerId, new DiffusingPeer(peerId, detector, broker, workload));
        }
    }

    /** Runs the small schedule of {@code seed} with the algorithm as specified. */
    static Outcome run(long seed) {
        return run(seed, DiffusingWorkload.Size.SMALL, RuleBreak.NONE);
    }

    /** Runs the schedule of {@code seed} with one rule of the algorithm broken (or none). */
    static Outcome run(long seed, DiffusingWorkload.Size size, RuleBreak ruleBreak) {
        CompletionSchedule schedule = new CompletionSchedule(seed, size, ruleBreak);
        try {
            return schedule.execute();
        } finally {
            schedule.harness.close();
        }
    }

    private Outcome execute() {
        for (int i = 0; i < workload.initialTasks; i++) {
            submit(workload.newTask(0));
        }
        check();
        while (violation == null) {
            if (workload.userActionsLeft() && harness.random().nextInt(8) == 0) {
                userAction();
                check();
                continue;
            }
            if (!harness.step()) {
                if (!workload.userActionsLeft()) {
                    break;
                }
                userAction();
            }
            check();
            if (harness.steps() > MAX_STEPS) {
                fail(Violation.LIVELOCK, "no end after " + MAX_STEPS + " steps");
            }
        }
        if (violation == null) {
            finalChecks();
        }
        return new Outcome(seed, size, violation, detail, harness.steps(), harness.trace(),
                workload.ledger.created());
    }

    /** A late submission, or the release of a task parked at the root. */
    private void userAction() {
        boolean release = !workload.parked.isEmpty()
                && (workload.lateSubmissions == 0 || harness.random().nextBoolean());
        if (release) {
            submit(workload.parked.poll());
            detector.root().release();
        } else {
            workload.lateSubmissions--;
            submit(workload.newTask(0));
        }
    }

    /** The root sends a task: deficit first, then the message. */
    private void submit(WorkItem item) {
        String target = workload.peerIds[harness.random().nextInt(workload.peerIds.length)];
        Message task = Message.of(DiffusingWorkload.TASK, item);
        detector.root().onSend(target, task.messageId());
        broker.sendToPeer(ROOT, target, task);
    }

    private boolean oracleQuiet() {
        return workload.ledger.allEnded() && harness.quiet();
    }

    private void check() {
        boolean quiet = oracleQuiet();
        if (waiter != null && waiter.isDone()) {
            if (waiter.join() && !quiet) {
                fail(Violation.PREMATURE_COMPLETION, "completion reported at step "
                        + harness.steps() + " with " + (workload.ledger.created()
                        - workload.ledger.ended()) + " task(s) not ended and "
                        + broker.inFlight() + " message(s) in flight");
                return;
            }
            waiter = null;
        }
        if (detector.isQuiescent() != quiet) {
            fail(Violation.QUIESCENCE_MISMATCH, "isQuiescent()=" + detector.isQuiescent()
                    + " but oracle quiet=" + quiet + " at step " + harness.steps());
            return;
        }
        if (waiter == null && !quiet) {
            waiter = detector.detectCompletion(SWARM, WAIT);
        }
    }

    private void finalChecks() {
        if (!oracleQuiet()) {
            fail(Violation.LIVELOCK, "drained but " + (workload.ledger.created()
                    - workload.ledger.ended()) + " task(s) never ended");
        } else if (waiter != null && !(waiter.isDone() && waiter.join())) {
            fail(Violation.MISSED_COMPLETION, "everything ended but the waiting future is "
                    + waiter);
        } else if (!detector.detectCompletion(SWARM, Duration.ZERO).join()) {
            fail(Violation.MISSED_COMPLETION, "everything ended but detectCompletion is false");
        } else if (!broker.refusals().isEmpty()) {
            fail(Violation.BROKER_REFUSAL, broker.refusals().toString());
        } else {
            BrokerMetrics metrics = harness.realBroker().getMetrics();
            long tasks = metrics.delivered(DiffusingWorkload.TASK);
            long signals = metrics.delivered(IDistributedCompletionDetector.SIGNAL_MESSAGE_TYPE);
            CompletionDetectorMetrics dm = detector.getMetrics();
            if (tasks != signals || dm.probesSent() != tasks
                    || dm.acknowledgmentsReceived() != tasks || dm.completedPeers() != dm.peers()) {
                fail(Violation.SIGNAL_COUNT, "broker delivered " + tasks + " basic messages and "
                        + signals + " signals; detector " + dm);
            }
        }
    }

    private void fail(Violation kind, String why) {
        if (violation == null) {
            violation = kind;
            detail = why + " (policy " + harness.policy() + ")";
        }
    }
}
