package swarm.cluster;

import io.github.hivemesh.cluster.ClusterConfig;
import io.github.hivemesh.cluster.jgroups.JGroupsTransportFactory;
import java.util.List;
import org.jgroups.stack.Protocol;

/**
 * Builds the JGroups engine's default stack as a modular application (ModularApplicationIT):
 * JGroups types in the library's signatures are usable once the application reads org.jgroups.
 * Connects nothing. Prints one line; the test reads it.
 */
public final class ClusterApp {

    private ClusterApp() {
    }

    public static void main(String[] args) {
        List<Protocol> stack = JGroupsTransportFactory.defaultProtocols(ClusterConfig.builder()
                .memberName("modular").build());
        System.out.println("STACK " + stack.get(0).getClass().getModule().getName() + " "
                + stack.get(0).getName());
    }
}
