package io.github.hivemesh;

/**
 * The {@link ICoordinator} contract, run against the hierarchy with wire encoding forced: every
 * assignment batch, team message, user message, output and error crosses as bytes.
 */
class HierarchicalEncodedConformanceTest extends HierarchicalConformanceTest {

    @Override
    public boolean encoded() {
        return true;
    }
}
