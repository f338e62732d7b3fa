package io.github.hivemesh.hostile;

import io.github.hivemesh.Topology;

/** The hostile user, against the mesh. */
class MeshHostileUserPropertyTest extends HostileUserPropertyContract {

    @Override
    Topology topology() {
        return Topology.MESH;
    }
}
