package io.github.hivemesh.mesh;

import static io.github.hivemesh.internal.util.Preconditions.checkRange;

import io.github.hivemesh.placement.PlacementStrategy;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * Configuration of a {@link MeshLoadBalancer}; immutable, built by {@link #builder()}.
 *
 * <ul>
 *   <li>{@link #strategy()}: how {@code selectLeastLoadedPeer} chooses (default
 *       {@link PlacementStrategy#LEAST_LOADED_FAIR}: minimum load, ties to the peer that has
 *       carried less load; see {@code docs/placement.md}).</li>
 *   <li>{@link #overloadThreshold()}: a peer is overloaded above {@code average × this}
 *       (default 1.25, in [1, 1000]).</li>
 *   <li>{@link #underloadThreshold()}: a peer is underloaded below {@code average × this}
 *       (default 0.75, in [0, 1]).</li>
 *   <li>{@link #maxMigrationsPerRebalance()}: moves one rebalance attempts at most (default 100,
 *       in [1, 1000000]).</li>
 *   <li>{@link #seed()}: seed of the random choices, for reproducible runs (default: a random
 *       seed per balancer, see {@link MeshLoadBalancer#seed()}).</li>
 * </ul>
 */
public final class LoadBalancerConfig {

    private final PlacementStrategy strategy;
    private final double overloadThreshold;
    private final double underloadThreshold;
    private final int maxMigrationsPerRebalance;
    private final Long seed;

    private LoadBalancerConfig(Builder b) {
        this.strategy = b.strategy;
        this.overloadThreshold = b.overloadThreshold;
        this.underloadThreshold = b.underloadThreshold;
        this.maxMigrationsPerRebalance = b.maxMigrationsPerRebalance;
        this.seed = b.seed;
    }

    /** {@return a builder holding the defaults} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return the default configuration} */
    public static LoadBalancerConfig defaults() {
        return builder().build();
    }

    /** {@return how peers are chosen} */
    public PlacementStrategy strategy() {
        return strategy;
    }

    /** {@return overloaded above {@code average × this}} */
    public double overloadThreshold() {
        return overloadThreshold;
    }

    /** {@return underloaded below {@code average × this}} */
    public double underloadThreshold() {
        return underloadThreshold;
    }

    /** {@return most task moves per rebalance} */
    public int maxMigrationsPerRebalance() {
        return maxMigrationsPerRebalance;
    }

    /** {@return the seed of the random choices, if fixed} */
    public OptionalLong seed() {
        return seed == null ? OptionalLong.empty() : OptionalLong.of(seed);
    }

    @Override
    public String toString() {
        return "LoadBalancerConfig[strategy=" + strategy + ", overloadThreshold="
                + overloadThreshold + ", underloadThreshold=" + underloadThreshold
                + ", maxMigrationsPerRebalance=" + maxMigrationsPerRebalance + ", seed="
                + (seed == null ? "random" : seed) + "]";
    }

    /** Builds a {@link LoadBalancerConfig}; values are checked at {@link #build()}. */
    public static final class Builder {
        private PlacementStrategy strategy = PlacementStrategy.LEAST_LOADED_FAIR;
        private double overloadThreshold = 1.25;
        private double underloadThreshold = 0.75;
        private int maxMigrationsPerRebalance = 100;
        private Long seed;

        private Builder() {
        }

        /**
         * How peers are chosen.
         *
         * @param strategy how peers are chosen
         * @return this builder
         */
        public Builder strategy(PlacementStrategy strategy) {
            this.strategy = Objects.requireNonNull(strategy, "strategy");
            return this;
        }

        /**
         * Overloaded above {@code average × threshold}; in [1, 1000].
         *
         * @param threshold overloaded above {@code average × this}
         * @return this builder
         */
        public Builder overloadThreshold(double threshold) {
            this.overloadThreshold = threshold;
            return this;
        }

        /**
         * Underloaded below {@code average × threshold}; in [0, 1].
         *
         * @param threshold underloaded below {@code average × this}
         * @return this builder
         */
        public Builder underloadThreshold(double threshold) {
            this.underloadThreshold = threshold;
            return this;
        }

        /**
         * Most task moves per rebalance; in [1, 1000000].
         *
         * @param max most task moves per rebalance
         * @return this builder
         */
        public Builder maxMigrationsPerRebalance(int max) {
            this.maxMigrationsPerRebalance = max;
            return this;
        }

        /**
         * Fixes the seed of the random choices.
         *
         * @param seed the seed of the random choices, if fixed
         * @return this builder
         */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Validates and builds.
         *
         * @return a new {@code LoadBalancerConfig} with this builder's settings
         */
        public LoadBalancerConfig build() {
            checkRange("overloadThreshold", overloadThreshold, 1.0, 1000.0);
            checkRange("underloadThreshold", underloadThreshold, 0.0, 1.0);
            checkRange("maxMigrationsPerRebalance", maxMigrationsPerRebalance, 1, 1_000_000);
            return new LoadBalancerConfig(this);
        }
    }
}
