package io.github.hivemesh.cluster.jgroups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.hivemesh.cluster.ClusterException;
import io.github.hivemesh.cluster.ClusterTransport;
import io.github.hivemesh.cluster.MemberId;
import io.github.hivemesh.testing.ClusterFixture;
import io.github.hivemesh.testing.RecordingListener;
import io.github.hivemesh.testing.TestCertificates;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jgroups.Address;
import org.jgroups.BytesMessage;
import org.jgroups.JChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Member identity bound to certificates ({@link MemberIdentity}, {@link SealedLink}): a
 * member's statement holds only for the name its certificate carries, the incarnation and
 * cluster it came from, and a chain the trust store vouches for; after it, only frames sealed
 * under the pair's keys, in sequence, are delivered — so a member with a valid certificate can
 * neither speak as another member nor slip frames past the seal.
 */
class ClusterIdentityTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private final List<ClusterTransport> started = new ArrayList<>();

    @AfterEach
    void closeAll() {
        for (ClusterTransport transport : started) {
            transport.close();
        }
    }

    private static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static MemberId member(String name) {
        return new MemberId(name, 0x5eed);
    }

    // ---- statements ----------------------------------------------------------------------

    @Test
    void aStatement_holdsForItsMember_andOnlyThere() {
        TestCertificates ca = TestCertificates.authority(dir, "ca");
        MemberIdentity m0 = MemberIdentity.of(ca.member("m0"), "c", member("m0"));
        MemberIdentity m1 = MemberIdentity.of(ca.member("m1"), "c", member("m1"));

        SealedLink from1 = m0.verify(m1.statement(), member("m1"));
        SealedLink from0 = m1.verify(m0.statement(), member("m0"));

        byte[] frame = from1.seal(7, text("hello"));
        assertThat(from0.open(frame, 0, frame.length)).isTrue();
        // m1's statement, presented as coming from anyone else, does not hold
        assertThatThrownBy(() -> m0.verify(m1.statement(), member("m2")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> m0.verify(m1.statement(), new MemberId("m1", 0x0dd)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aCertifiedMember_cannotMakeAStatementForAnotherName() {
        TestCertificates ca = TestCertificates.authority(dir, "ca");
        // its own code refuses; a member whose code does not is caught at the receiver below
        assertThatThrownBy(() -> MemberIdentity.of(ca.member("m2"), "c", member("m1")))
                .isInstanceOf(ClusterException.class)
                .hasMessageContaining("does not name it");
    }

    @Test
    void aStatementSignedByAnotherNamesKey_orAltered_orFromAnotherCluster_orCa_isRefused() {
        TestCertificates ca = TestCertificates.authority(dir, "ca");
        TestCertificates rogue = TestCertificates.authority(dir, "rogue");
        MemberIdentity m0 = MemberIdentity.of(ca.member("m0"), "c", member("m0"));
        MemberIdentity m1 = MemberIdentity.of(ca.member("m1"), "c", member("m1"));

        byte[] altered = m1.statement().clone();
        altered[altered.length - 1] ^= 1;
        assertThatThrownBy(() -> m0.verify(altered, member("m1")))
                .isInstanceOf(IllegalArgumentException.class);
        MemberIdentity elsewhere = MemberIdentity.of(ca.member("m1"), "other", member("m1"));
        assertThatThrownBy(() -> m0.verify(elsewhere.statement(), member("m1")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cluster");
        MemberIdentity untrusted = MemberIdentity.of(rogue.member("m1", ca), "c", member("m1"));
        assertThatThrownBy(() -> m0.verify(untrusted.statement(), member("m1")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> m0.verify(Arrays.copyOf(m1.statement(), 9), member("m1")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aSealedFrame_opensOnce_inOrder_andNotAltered() {
        TestCertificates ca = TestCertificates.authority(dir, "ca");
        MemberIdentity m0 = MemberIdentity.of(ca.member("m0"), "c", member("m0"));
        MemberIdentity m1 = MemberIdentity.of(ca.member("m1"), "c", member("m1"));
        SealedLink at0 = m0.verify(m1.statement(), member("m1"));
        SealedLink at1 = m1.verify(m0.statement(), member("m0"));

        byte[] first = at0.seal(1, text("first"));
        byte[] second = at0.seal(1, text("second"));
        byte[] flipped = first.clone();
        flipped[WireFrame.SEALED_HEADER] ^= 1;

        assertThat(at1.open(flipped, 0, flipped.length)).isFalse();
        assertThat(at1.open(second, 0, second.length)).as("out of sequence").isFalse();
        assertThat(at1.open(first, 0, first.length)).isTrue();
        assertThat(at1.open(first, 0, first.length)).as("replayed").isFalse();
        assertThat(at1.open(second, 0, second.length)).isTrue();
        // a frame sealed for the other direction does not open here
        byte[] back = at1.seal(1, text("back"));
        assertThat(at1.open(back, 0, back.length)).isFalse();
        assertThat(at0.open(back, 0, back.length)).isTrue();
    }

    // ---- over JGroups ----------------------------------------------------------------------

    @Test
    void overTls_framesNotSealedForThePair_areDropped_andCounted() throws Exception {
        TestCertificates ca = TestCertificates.authority(dir, "ca");
        String cluster = ClusterFixture.freshClusterName();
        List<Integer> ports = ClusterFixture.freePorts(2);
        List<RecordingListener> listeners = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            RecordingListener listener = new RecordingListener();
            listeners.add(listener);
            ClusterTransport transport = ClusterTransport.create(ClusterFixture.fast(cluster,
                    "m" + i, ports, i).tls(ca.member("m" + i)).requireTls(true).build());
            started.add(transport);
            transport.start(listener);
        }
        await().atMost(WAIT).until(() -> started.get(0).view().size() == 2
                && started.get(1).view().size() == 2);
        ClusterTransport m0 = started.get(0);
        ClusterTransport m1 = started.get(1);
        assertThat(m1.send(m0.self(), text("sealed"))).isTrue();
        await().atMost(WAIT).until(() -> listeners.get(0).textsFrom(m1.self()).contains("sealed"));

        // m1 holds a trusted certificate and a TLS connection, and goes around the seal
        JChannel raw = ((JGroupsTransport) m1).channel();
        Address to = ((JGroupsTransport) m0).channel().getAddress();
        long view = m1.view().id();
        raw.send(new BytesMessage(to, WireFrame.encode(view, text("unsealed"))));
        byte[] forged = WireFrame.sealed(view, 2, text("forged"));
        raw.send(new BytesMessage(to, forged));
        raw.send(new BytesMessage(to, WireFrame.statement(view, text("not a statement"))));
        assertThat(m1.send(m0.self(), text("sealed again"))).isTrue();

        await().atMost(WAIT).until(() -> listeners.get(0).textsFrom(m1.self())
                .contains("sealed again"));
        assertThat(listeners.get(0).textsFrom(m1.self())).containsExactly("sealed",
                "sealed again");
        assertThat(m0.metrics().droppedUnauthenticated()).isEqualTo(3);
        assertThat(m1.metrics().droppedUnauthenticated()).isZero();
    }
}
