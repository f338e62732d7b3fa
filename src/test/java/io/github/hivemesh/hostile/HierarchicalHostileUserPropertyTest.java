package io.github.hivemesh.hostile;

import io.github.hivemesh.Topology;

/** The hostile user, against the hierarchy. */
class HierarchicalHostileUserPropertyTest extends HostileUserPropertyContract {

    @Override
    Topology topology() {
        return Topology.HIERARCHICAL;
    }
}
