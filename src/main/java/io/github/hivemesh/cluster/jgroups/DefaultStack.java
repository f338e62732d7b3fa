package io.github.hivemesh.cluster.jgroups;

import io.github.hivemesh.cluster.ClusterConfig;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jgroups.protocols.FD_ALL3;
import org.jgroups.protocols.FD_SOCK2;
import org.jgroups.protocols.FRAG2;
import org.jgroups.protocols.MERGE3;
import org.jgroups.protocols.MFC;
import org.jgroups.protocols.TCP;
import org.jgroups.protocols.TCPPING;
import org.jgroups.protocols.UFC;
import org.jgroups.protocols.UNICAST3;
import org.jgroups.protocols.VERIFY_SUSPECT2;
import org.jgroups.protocols.pbcast.GMS;
import org.jgroups.protocols.pbcast.NAKACK2;
import org.jgroups.protocols.pbcast.STABLE;
import org.jgroups.stack.Protocol;

/**
 * The default protocol stack: the protocols of JGroups 5.5.7's own {@code tcp.xml} with its
 * settings, except what {@link ClusterConfig} decides (bind address and port, the advertised
 * address, initial members, failure detection, join and merge timeouts) and three deliberate
 * changes: no diagnostics (set off once the channel exists), no address printed on stdout, and
 * a bound on the length of one TCP frame, so a corrupt length field cannot make a receiver
 * allocate gigabytes.
 * BARRIER and STATE_TRANSFER are left out: nothing here transfers state.
 */
final class DefaultStack {

    /**
     * Longest TCP frame accepted: far above what the stack sends (FRAG2 cuts messages at
     * 60 KB and the bundler sends at most 64 KB at once), far below what would hurt.
     */
    static final int MAX_FRAME_LENGTH = 1 << 20;

    private static final Pattern HOST_PORT = Pattern.compile("(.+)\\[(\\d+)]");

    private DefaultStack() {
    }

    /** The protocols, transport first. */
    static List<Protocol> protocols(ClusterConfig config) {
        TCP tcp = new TCP();
        tcp.setBindAddr(config.bindAddress());
        tcp.setBindPort(config.bindPort());
        tcp.setPortRange(config.portRange());
        tcp.setSockConnTimeout(300);
        tcp.setMaxLength(MAX_FRAME_LENGTH);
        // tcp.xml leaves Nagle on; the swarm's traffic is small messages answered by small
        // messages (assignments, results, completion signals), which Nagle and delayed
        // acknowledgments hold back ~40 ms each on loopback (measured: MeshClusterBenchmark)
        tcp.tcpNodelay(true);
        config.advertisedAddress().ifPresent(advertised -> {
            // the physical address TCPPING hands out and peers connect to (and key the
            // connection by, in both directions); port 0 leaves the bound port
            tcp.setExternalAddr(advertised.getAddress());
            tcp.setExternalPort(advertised.getPort());
        });

        TCPPING ping = new TCPPING();
        List<InetSocketAddress> hosts = new ArrayList<>();
        for (String member : config.initialMembers()) {
            Matcher m = HOST_PORT.matcher(member);
            if (!m.matches()) {
                throw new IllegalArgumentException("initial member must be host[port], was "
                        + member);
            }
            hosts.add(new InetSocketAddress(m.group(1), Integer.parseInt(m.group(2))));
        }
        ping.setInitialHosts(hosts);
        ping.setPortRange(config.portRange());
        ping.asyncDiscovery(true);
        ping.returnEntireCache(false);

        MERGE3 merge = new MERGE3()
                .setMinInterval(config.mergeMinInterval().toMillis())
                .setMaxInterval(config.mergeMaxInterval().toMillis());
        FD_SOCK2 sockets = new FD_SOCK2();
        // FD_SOCK2 takes its ports from the transport's physical address, i.e. the advertised
        // one: it listens at advertised port + offset (+ its port range) on its bind address,
        // and a peer connects to the advertised host at the same port + offset. So the forwarder
        // must map those ports one to one (ClusterConfig says so); nothing here can shift them,
        // as each member adds its own offset to the other's port. Its external_addr is the
        // address its server names itself by when it connects to a peer, which keys the
        // connection there: the advertised host, at the port it really listens on (external
        // port left 0), is exactly the address that peer computes for it. A fixed external
        // port would be wrong for all but one port of the range.
        config.advertisedAddress().ifPresent(advertised ->
                sockets.setExternalAddress(advertised.getAddress()));
        FD_ALL3 heartbeats = new FD_ALL3()
                .setTimeout(config.failureDetectionTimeout().toMillis())
                .setInterval(config.failureDetectionInterval().toMillis());
        VERIFY_SUSPECT2 verify = new VERIFY_SUSPECT2()
                .setTimeout(config.suspectVerificationTimeout().toMillis());
        NAKACK2 nakack = new NAKACK2().useMcastXmit(false);
        UNICAST3 unicast = new UNICAST3();
        STABLE stable = new STABLE().setDesiredAverageGossip(50_000).setMaxBytes(4 << 20);
        GMS gms = new GMS().setJoinTimeout(config.joinTimeout().toMillis())
                .printLocalAddress(false);
        MFC mfc = new MFC();
        mfc.setMaxCredits(2 << 20);
        mfc.setMinThreshold(0.4);
        UFC ufc = new UFC();
        ufc.setMaxCredits(2 << 20);
        ufc.setMinThreshold(0.4);
        FRAG2 frag = new FRAG2();
        frag.setFragSize(60 << 10);
        return List.of(tcp, ping, merge, sockets, heartbeats, verify, nakack, unicast, stable,
                gms, mfc, ufc, frag);
    }
}
