package io.github.hivemesh.hostile;

import io.github.hivemesh.CoordinatorFactory;
import io.github.hivemesh.ICoordinator;
import io.github.hivemesh.SwarmConfig;
import io.github.hivemesh.Topology;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import io.github.hivemesh.testing.HandlerFailureWatch;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The regressions of issue 13 — promises that broke under hostile but legal use — stated once
 * and run against both coordinators: a subclass names the topology. Every swarm is built
 * through {@link CoordinatorFactory#createWithTopology} and used through the public API only.
 * Each test is named after what broke; where the break was a race, the test repeats the race
 * (seeded, {@code -Dhivemesh.seed=N} to replay the choices) often enough to have caught it
 * every time on the code the issue was filed against.
 *
 * <p>The groups live in the mixed-in contracts: {@link ShutdownRaceContract} (items 1, 8, 13's
 * close and interrupt), {@link FutureOwnershipContract} (3, 10, 11), {@link IdentityContract}
 * (2, 4, 5, 13's agent limit), {@link BoundsContract} (6, 9, 12) and {@link ErrorChannelContract}
 * (7, 13, and the decision that problems fail futures instead of throwing).
 */
@ExtendWith(HandlerFailureWatch.class)
abstract class HostileUseContract implements ShutdownRaceContract, FutureOwnershipContract,
        IdentityContract, BoundsContract, ErrorChannelContract {

    private final List<ICoordinator> swarms = new CopyOnWriteArrayList<>();
    private final List<CountDownLatch> gates = new CopyOnWriteArrayList<>();

    @Override
    public abstract Topology topology();

    @AfterEach
    void closeAll() {
        gates.forEach(CountDownLatch::countDown);
        swarms.forEach(ICoordinator::close);
    }

    @Override
    public ICoordinator swarm(SwarmConfig.Builder config) {
        ICoordinator swarm = unstarted(config);
        swarm.initialize().join();
        return swarm;
    }

    @Override
    public ICoordinator unstarted(SwarmConfig.Builder config) {
        ICoordinator swarm = CoordinatorFactory.createWithTopology(config.topology(topology())
                .build());
        swarms.add(swarm);
        return swarm;
    }

    @Override
    public CountDownLatch gate() {
        CountDownLatch gate = new CountDownLatch(1);
        gates.add(gate);
        return gate;
    }
}
