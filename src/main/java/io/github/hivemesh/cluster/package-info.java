/**
 * Cluster membership and transport: the engine-neutral layer cluster mode stands on.
 *
 * <p>{@link io.github.hivemesh.cluster.ClusterTransport} states the guarantees (views with
 * departed members fenced for good, FIFO per pair without gaps, reliability while both
 * members stay, one delivery order of views and messages per member) that the cluster broker,
 * completion across members and failure handling rely on;
 * {@link io.github.hivemesh.cluster.ClusterConfig} says how a member joins; members are
 * {@link io.github.hivemesh.cluster.MemberId}s, a stable name and an incarnation per join. No
 * JGroups type appears here, so this package loads without JGroups; the JGroups engine lives
 * in {@code io.github.hivemesh.cluster.jgroups}. See {@code docs/cluster.md}.
 */
package io.github.hivemesh.cluster;
