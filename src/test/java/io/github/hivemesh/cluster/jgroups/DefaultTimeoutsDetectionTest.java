package io.github.hivemesh.cluster.jgroups;

import io.github.hivemesh.cluster.ClusterConfig;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * {@link ClusterFailureTest} with the library's default failure-detection timeouts, which
 * gives the detection times {@code docs/cluster.md} quotes (crash, hang, leave on loopback).
 * Slow (a hang takes the default 5 s timeout to detect), so only with
 * {@code -Dhivemesh.scale=long}:
 * {@code mvn -B -q test -Dtest=DefaultTimeoutsDetectionTest -Dhivemesh.scale=long -Djacoco.skip=true}.
 */
@EnabledIfSystemProperty(named = "hivemesh.scale", matches = "long")
class DefaultTimeoutsDetectionTest extends ClusterFailureTest {

    @Override
    String timeouts() {
        return "default";
    }

    @Override
    ClusterConfig timing() {
        return ClusterConfig.defaults();
    }
}
