package io.github.hivemesh.cluster.jgroups;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.hivemesh.cluster.ClusterConfig;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import org.jgroups.protocols.FD_SOCK2;
import org.jgroups.protocols.TCP;
import org.jgroups.stack.Protocol;
import org.junit.jupiter.api.Test;

/** What {@link DefaultStack} sets from a {@link ClusterConfig}, before any channel exists. */
class DefaultStackTest {

    @Test
    void advertisedAddress_isTcpsExternalAddressAndPort_andFdSock2sExternalHost()
            throws Exception {
        InetAddress outside = InetAddress.getByAddress(new byte[] {(byte) 203, 0, 113, 7});
        List<Protocol> stack = DefaultStack.protocols(ClusterConfig.builder().bindPort(7900)
                .advertisedAddress(new InetSocketAddress(outside, 17_900)).build());
        TCP tcp = (TCP) stack.get(0);
        assertThat(tcp.getBindPort()).isEqualTo(7900);
        assertThat(tcp.getExternalAddr()).isEqualTo(outside);
        assertThat(tcp.getExternalPort()).isEqualTo(17_900);
        FD_SOCK2 sockets = fdSock2(stack);
        assertThat(sockets.getExternalAddress()).isEqualTo(outside);
        assertThat(sockets.getExternalPort()).isZero();
    }

    @Test
    void withoutAdvertisedAddress_theBoundAddressIsAdvertised() {
        List<Protocol> stack = DefaultStack.protocols(ClusterConfig.defaults());
        TCP tcp = (TCP) stack.get(0);
        assertThat(tcp.getExternalAddr()).isNull();
        assertThat(tcp.getExternalPort()).isZero();
        assertThat(fdSock2(stack).getExternalAddress()).isNull();
    }

    private static FD_SOCK2 fdSock2(List<Protocol> stack) {
        return stack.stream().filter(FD_SOCK2.class::isInstance).map(FD_SOCK2.class::cast)
                .findFirst().orElseThrow();
    }
}
