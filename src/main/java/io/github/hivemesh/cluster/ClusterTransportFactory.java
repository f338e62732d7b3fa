package io.github.hivemesh.cluster;

import java.lang.reflect.InvocationTargetException;

/**
 * Makes a {@link ClusterTransport} for a {@link ClusterConfig}: the seam where an engine plugs
 * in. {@code io.github.hivemesh.cluster.jgroups.JGroupsTransportFactory} is the JGroups one
 * (including a ready {@code JChannel} of the user's); tests supply a simulated one. Keeping it
 * an interface of this package keeps engine types out of {@link ClusterConfig}, so the core
 * loads without JGroups.
 */
@FunctionalInterface
public interface ClusterTransportFactory {

    /** The JGroups factory's class, looked up by name so this package never links to it. */
    String JGROUPS_FACTORY = "io.github.hivemesh.cluster.jgroups.JGroupsTransportFactory";

    /**
     * {@return a new, unstarted transport for {@code config}}
     *
     * @param config the settings
     * @throws ClusterException if the config cannot be served by this factory
     */
    ClusterTransport create(ClusterConfig config);

    /**
     * {@return the JGroups factory: the default stack, or {@link ClusterConfig#stackXml()} when
     * given}
     *
     * @throws ClusterException if JGroups ({@code org.jgroups:jgroups}, an optional dependency) is
     *     not on the class path
     */
    static ClusterTransportFactory jgroups() {
        try {
            // The factory class itself links to JGroups only when it creates a transport, so
            // check for JGroups first: a missing engine fails here, clearly, not later.
            Class.forName("org.jgroups.JChannel", false,
                    ClusterTransportFactory.class.getClassLoader());
            return (ClusterTransportFactory) Class.forName(JGROUPS_FACTORY)
                    .getMethod("standard").invoke(null);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new ClusterException("cluster mode needs JGroups on the class path: add "
                    + "org.jgroups:jgroups 5.5.x (an optional dependency of hivemesh), or give "
                    + "ClusterConfig a transportFactory", e);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof LinkageError) {
                throw new ClusterException("cluster mode needs JGroups on the class path: add "
                        + "org.jgroups:jgroups 5.5.x (an optional dependency of hivemesh)", cause);
            }
            throw new ClusterException("the JGroups transport factory failed", cause);
        } catch (ReflectiveOperationException e) {
            throw new ClusterException("the JGroups transport factory cannot be created", e);
        }
    }
}
