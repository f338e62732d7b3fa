package io.github.hivemesh.mesh;

import static io.github.hivemesh.internal.util.Preconditions.checkNoNulls;
import static io.github.hivemesh.internal.util.Preconditions.checkNotBlank;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * What a peer knows about another peer (or itself). Immutable. Travels in discovery messages,
 * as an object in-process or as MessagePack bytes ({@link PeerInfoCodec}) when artifact sharing
 * is on.
 *
 * <p>{@code (incarnation, version)} orders a peer's announcements: the incarnation changes each
 * time the peer starts discovery, the version each time it changes its capabilities. A receiver
 * keeps the capabilities of the greatest pair it has seen, so an old announcement arriving late
 * (over another channel) cannot undo a newer one.
 *
 * @param peerId       the peer
 * @param swarmId      its swarm
 * @param capabilities what it can do
 * @param incarnation  when it (re)started discovery, by its clock, in epoch milliseconds
 * @param version      its capability version within the incarnation
 * @param lastSeen     when the observer last heard from it (the peer itself: now)
 * @param status       alive or stale, as the observer sees it
 */
public record PeerInfo(String peerId, String swarmId, Set<String> capabilities, long incarnation,
        long version, Instant lastSeen, PeerStatus status) {

    /**
     * Validates and copies.
     *
     * @param peerId the peer
     * @param swarmId its swarm
     * @param capabilities what it can do
     * @param incarnation when it (re)started discovery, by its clock, in epoch milliseconds
     * @param version its capability version within the incarnation
     * @param lastSeen when the observer last heard from it (the peer itself: now)
     * @param status alive or stale, as the observer sees it
     */
    public PeerInfo {
        checkNotBlank("peerId", peerId);
        checkNotBlank("swarmId", swarmId);
        capabilities = Collections.unmodifiableSet(new LinkedHashSet<>(
                checkNoNulls("capabilities", capabilities)));
        Objects.requireNonNull(lastSeen, "lastSeen");
        Objects.requireNonNull(status, "status");
    }

    /**
     * {@return whether this announcement is newer than {@code other}'s (by incarnation, then
     * version)}
     *
     * @param other an announcement of the same peer
     */
    public boolean supersedes(PeerInfo other) {
        Objects.requireNonNull(other, "other");
        return incarnation != other.incarnation ? incarnation > other.incarnation
                : version > other.version;
    }

    /** This info as seen at {@code seen} with {@code newStatus}. */
    PeerInfo seen(Instant seen, PeerStatus newStatus) {
        return new PeerInfo(peerId, swarmId, capabilities, incarnation, version, seen, newStatus);
    }

    /**
     * {@return whether the peer has every required capability}
     *
     * @param required the required capabilities
     */
    public boolean hasAll(Set<String> required) {
        return capabilities.containsAll(Objects.requireNonNull(required, "required"));
    }
}
