package io.github.hivemesh.mesh;

/** How a peer looks from the observing peer's side. */
public enum PeerStatus {
    /** Heard from within the peer timeout: included in lookups. */
    ALIVE,
    /** Silent longer than the peer timeout: excluded from lookups until it is heard again. */
    STALE
}
