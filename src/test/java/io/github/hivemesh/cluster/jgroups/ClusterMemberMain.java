package io.github.hivemesh.cluster.jgroups;

import io.github.hivemesh.cluster.ClusterConfig;
import io.github.hivemesh.cluster.ClusterListener;
import io.github.hivemesh.cluster.ClusterTransport;
import io.github.hivemesh.cluster.ClusterView;
import io.github.hivemesh.cluster.MemberId;
import io.github.hivemesh.testing.ClusterFixture;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A cluster member in a child JVM ({@link io.github.hivemesh.testing.ChildJvm}), for the
 * multi-process tests. Configured by system properties: {@code hm.cluster}, {@code hm.member},
 * {@code hm.ports} (comma-separated, every member's port), {@code hm.index} (its own), and
 * {@code hm.timeouts} ({@code fast}: {@link ClusterFixture#fast}; {@code default}: the
 * library's defaults).
 *
 * <p>Prints {@code READY <self>}, then {@code VIEW <line>} for each view (see
 * {@link #describe}) and {@code MSG <from> <text>} for each message. Reads commands: {@code ALL
 * <text>} sends to all and prints {@code SENT <n>}; {@code QUIT} leaves and exits 0; so does the
 * end of stdin (the test JVM is gone).
 */
public final class ClusterMemberMain {

    private ClusterMemberMain() {
    }

    /** The config both sides of a test use, from the same inputs. */
    public static ClusterConfig config(String cluster, String member, List<Integer> ports,
            int index, String timeouts) {
        if (timeouts.equals("fast")) {
            return ClusterFixture.fast(cluster, member, ports, index).build();
        }
        List<String> initial = new ArrayList<>();
        for (int port : ports) {
            initial.add("127.0.0.1[" + port + "]");
        }
        return ClusterConfig.builder().clusterName(cluster).memberName(member)
                .bindAddress(InetAddress.getLoopbackAddress()).bindPort(ports.get(index))
                .portRange(0).initialMembers(initial).build();
    }

    /** One line for a view: id, merge flag, members and fenced members. */
    public static String describe(ClusterView view) {
        return view.id() + " merge=" + view.merge() + " members=" + view.members().stream()
                .map(MemberId::toString).collect(Collectors.joining(",")) + " fenced="
                + view.fenced().stream().map(MemberId::toString).collect(Collectors.joining(","));
    }

    /** Runs the member until QUIT or the end of stdin. */
    public static void main(String[] args) throws Exception {
        List<Integer> ports = new ArrayList<>();
        for (String port : System.getProperty("hm.ports").split(",")) {
            ports.add(Integer.parseInt(port));
        }
        ClusterConfig config = config(System.getProperty("hm.cluster"),
                System.getProperty("hm.member"), ports,
                Integer.parseInt(System.getProperty("hm.index")),
                System.getProperty("hm.timeouts", "fast"));
        ClusterTransport transport = ClusterTransport.create(config);
        transport.start(new ClusterListener() {
            @Override
            public void onView(ClusterView view) {
                System.out.println("VIEW " + describe(view));
            }

            @Override
            public void onMessage(MemberId from, byte[] payload) {
                System.out.println("MSG " + from + " " + new String(payload,
                        StandardCharsets.UTF_8));
            }
        });
        System.out.println("READY " + transport.self());
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in,
                StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null && !line.equals("QUIT");
                line = in.readLine()) {
            if (line.startsWith("ALL ")) {
                int sent = transport.sendToAll(line.substring(4)
                        .getBytes(StandardCharsets.UTF_8)).size();
                System.out.println("SENT " + sent);
            }
        }
        transport.close();
        System.exit(0);
    }
}
