package io.github.hivemesh.cluster.jgroups;

import io.github.hivemesh.cluster.ClusterConfig;
import io.github.hivemesh.cluster.ClusterException;
import io.github.hivemesh.cluster.ClusterTransport;
import io.github.hivemesh.cluster.ClusterTransportFactory;
import java.io.InputStream;
import java.net.URL;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.jgroups.JChannel;
import org.jgroups.stack.Protocol;

/**
 * {@link ClusterTransport}s on JGroups. {@link #standard()} builds the default stack from the
 * {@link ClusterConfig} (or reads {@link ClusterConfig#stackXml()}); {@link #fromChannels}
 * takes ready channels of the user's, which keeps JGroups types out of {@link ClusterConfig}:
 *
 * <pre>{@code
 * ClusterConfig config = ClusterConfig.builder().memberName("a")
 *         .transportFactory(JGroupsTransportFactory.fromChannels(() -> new JChannel("my.xml")))
 *         .build();
 * }</pre>
 *
 * <p>On every channel it builds, the transport switches JGroups' diagnostics probe off (an
 * unauthenticated endpoint) and applies {@link ClusterConfig#tls()} to the TCP transport. A
 * user's channel is used as given (TLS from the config is still applied); a warning is logged
 * if its diagnostics are on. Stateless and thread-safe.
 */
// "exports": JChannel and Protocol appear in this class's signatures, and the module requires
// org.jgroups "static" only, not "transitive" (a consumer's compiler would then demand JGroups
// even of applications that never use cluster mode). A modular user of this class reads
// org.jgroups itself: "requires org.jgroups;" (module-info.java's Javadoc says so).
@SuppressWarnings("exports")
public final class JGroupsTransportFactory implements ClusterTransportFactory {

    /** Makes an unconnected channel, each call a new one. */
    @FunctionalInterface
    public interface ChannelSource {
        /**
         * {@return a new, unconnected channel}
         *
         * @throws Exception any failure to make it: the transport's start fails with it
         */
        JChannel newChannel() throws Exception;
    }

    private static final JGroupsTransportFactory STANDARD = new JGroupsTransportFactory(null);

    private final ChannelSource userChannels;

    private JGroupsTransportFactory(ChannelSource userChannels) {
        this.userChannels = userChannels;
    }

    /** {@return the default stack, or the config's stack XML when it has one} */
    public static JGroupsTransportFactory standard() {
        return STANDARD;
    }

    /**
     * {@return channels of the user's: each transport takes a new, unconnected one from
     * {@code channels} at start and closes it when it closes}
     *
     * @param channels makes a new, unconnected channel on each call
     */
    public static JGroupsTransportFactory fromChannels(ChannelSource channels) {
        return new JGroupsTransportFactory(Objects.requireNonNull(channels, "channels"));
    }

    /**
     * Like {@link #fromChannels(ChannelSource)}, for a supplier that throws nothing checked.
     *
     * @param channels supplies a new, unconnected channel on each call
     * @return a factory of transports over the supplied channels
     */
    public static JGroupsTransportFactory fromChannelSupplier(Supplier<JChannel> channels) {
        Objects.requireNonNull(channels, "channels");
        return new JGroupsTransportFactory(channels::get);
    }

    /**
     * {@return the protocols of the default stack for {@code config}, transport first: to adjust
     * one and hand the stack back through {@link #fromChannels}, e.g. {@code fromChannels(() -> new
     * JChannel(tweak(defaultProtocols(config))))}} Diagnostics are switched off and TLS applied
     * when the transport starts the channel, as for any channel.
     *
     * @param config the settings
     */
    public static List<Protocol> defaultProtocols(ClusterConfig config) {
        return DefaultStack.protocols(Objects.requireNonNull(config, "config"));
    }

    @Override
    public ClusterTransport create(ClusterConfig config) {
        Objects.requireNonNull(config, "config");
        if (userChannels != null) {
            return new JGroupsTransport(config, userChannels, false);
        }
        URL xml = config.stackXml().orElse(null);
        if (xml != null) {
            return new JGroupsTransport(config, () -> {
                try (InputStream in = xml.openStream()) {
                    return new JChannel(in);
                }
            }, true);
        }
        return new JGroupsTransport(config, () -> new JChannel(DefaultStack.protocols(config)),
                true);
    }

    @Override
    public String toString() {
        return userChannels == null ? "JGroupsTransportFactory[standard]"
                : "JGroupsTransportFactory[user channels]";
    }

    static ClusterException wrap(String message, Exception e) {
        return new ClusterException(message + ": " + e, e);
    }
}
