package io.github.hivemesh;

/** The {@link ICoordinator} contract, run against the hierarchy. */
class HierarchicalConformanceTest extends CoordinatorConformanceTest {

    @Override
    public Topology topology() {
        return Topology.HIERARCHICAL;
    }
}
