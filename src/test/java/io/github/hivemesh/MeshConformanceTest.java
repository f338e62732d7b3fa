package io.github.hivemesh;

/** The {@link ICoordinator} contract, run against the mesh. */
class MeshConformanceTest extends CoordinatorConformanceTest {

    @Override
    public Topology topology() {
        return Topology.MESH;
    }
}
