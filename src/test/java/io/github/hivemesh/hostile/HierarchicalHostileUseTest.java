package io.github.hivemesh.hostile;

import io.github.hivemesh.Topology;

/** Issue 13's regressions, run against the hierarchy. */
class HierarchicalHostileUseTest extends HostileUseContract {

    @Override
    public Topology topology() {
        return Topology.HIERARCHICAL;
    }
}
