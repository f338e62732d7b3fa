/**
 * The JGroups engine of {@link io.github.hivemesh.cluster.ClusterTransport}: the only package
 * that imports {@code org.jgroups} (an optional dependency). Start from
 * {@link io.github.hivemesh.cluster.jgroups.JGroupsTransportFactory}.
 */
package io.github.hivemesh.cluster.jgroups;
