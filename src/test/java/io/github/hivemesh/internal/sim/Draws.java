package io.github.hivemesh.internal.sim;

import java.util.SplittableRandom;

/**
 * Random draws for the reference simulations, computed with {@link StrictMath} so a seed gives
 * bit-identical workloads on every JVM.
 */
final class Draws {

    private Draws() {
    }

    /** A standard normal variate (Box–Muller). */
    static double gaussian(SplittableRandom random) {
        double u1 = 1.0 - random.nextDouble();
        double u2 = random.nextDouble();
        return StrictMath.sqrt(-2 * StrictMath.log(u1)) * StrictMath.cos(2 * StrictMath.PI * u2);
    }

    /** An exponential variate of the given mean. */
    static double exponential(SplittableRandom random, double mean) {
        return -StrictMath.log(1.0 - random.nextDouble()) * mean;
    }

    /** A lognormal variate of the given mean and shape {@code sigma}. */
    static double lognormal(SplittableRandom random, double mean, double sigma) {
        // E[exp(mu + sigma Z)] = exp(mu + sigma^2 / 2)
        double mu = StrictMath.log(mean) - sigma * sigma / 2;
        return StrictMath.exp(mu + sigma * gaussian(random));
    }
}
