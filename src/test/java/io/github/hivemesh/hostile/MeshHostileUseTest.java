package io.github.hivemesh.hostile;

import io.github.hivemesh.Topology;

/** Issue 13's regressions, run against the mesh. */
class MeshHostileUseTest extends HostileUseContract {

    @Override
    public Topology topology() {
        return Topology.MESH;
    }
}
