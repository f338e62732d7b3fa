package io.github.hivemesh;

/** The {@link ICoordinator} contract, run against the hierarchy. */
class HierarchicalConformanceTest extends CoordinatorConformanceTest {

    @Override
    Topology topology() {
        return Topology.HIERARCHICAL;
    }
}
