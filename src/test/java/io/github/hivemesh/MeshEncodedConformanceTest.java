package io.github.hivemesh;

/**
 * The {@link ICoordinator} contract, run against the mesh with wire encoding forced: every
 * assignment, signal, user message, output and error crosses as bytes.
 */
class MeshEncodedConformanceTest extends MeshConformanceTest {

    @Override
    public boolean encoded() {
        return true;
    }
}
