package io.github.hivemesh.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.github.hivemesh.artifact.ArtifactFormatException;
import io.github.hivemesh.artifact.DecodeLimits;
import io.github.hivemesh.broker.InProcessMessageBroker;
import io.github.hivemesh.broker.Message;
import io.github.hivemesh.broker.MessageBrokerConfig;
import io.github.hivemesh.internal.wire.WireCodecs;
import io.github.hivemesh.testing.ClusterFixture;
import io.github.hivemesh.testing.FuzzRun;
import io.github.hivemesh.testing.Mutator;
import io.github.hivemesh.testing.TestCertificates;
import io.github.hivemesh.testing.WireSamples;
import io.github.hivemesh.wire.PayloadCodec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * What a member holding a trusted certificate can send, over the real transport with mutual
 * TLS and sealed links: three members, each a {@link ClusterMessageBroker}; {@code m0} hosts
 * endpoint {@code a}, {@code m1} hosts {@code b}, and {@code m2} — certified like the others —
 * uses its transport to send frames it makes itself. Its frames pass TLS and the seal (they
 * really are from {@code m2}), so what stops them is the broker: a frame speaking for
 * {@code m0}'s endpoint is dropped, as is one that does not decode, and every drop is counted;
 * the receiver keeps working.
 *
 * <p>The fuzz batch sends 10³ damaged frames by default and 10⁴ with {@code -Plong}; the seed
 * is printed and replays with {@code -Dhivemesh.fuzz.seed=N}. A damaged frame that still
 * decodes into a message {@code m2} may send (its own or an unhosted sender) is a legitimate
 * message from a trusted member, not bad input: those are not sent, and counted apart.
 */
class TrustedMemberInputTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private final List<ClusterMessageBroker> brokers = new ArrayList<>();
    private final List<ClusterTransport> transports = new ArrayList<>();
    private final BrokerFrameCodec codec = new BrokerFrameCodec(
            new WireCodecs(PayloadCodec.defaults()), DecodeLimits.DEFAULT);

    @AfterEach
    void closeAll() {
        for (ClusterMessageBroker broker : brokers) {
            broker.close();
        }
    }

    /** Three TLS members; {@code a} on m0 and {@code b} on m1, each known to the others. */
    private void start(List<Message> atB) {
        TestCertificates ca = TestCertificates.authority(dir, "ca");
        String cluster = ClusterFixture.freshClusterName();
        List<Integer> ports = ClusterFixture.freePorts(3);
        for (int i = 0; i < 3; i++) {
            ClusterTransport transport = ClusterTransport.create(ClusterFixture.fast(cluster,
                    "m" + i, ports, i).tls(ca.member("m" + i)).requireTls(true).build());
            transports.add(transport);
            brokers.add(ClusterMessageBroker.start(transport, new InProcessMessageBroker(
                    MessageBrokerConfig.builder().closeTimeout(Duration.ofSeconds(2)).build()),
                    PayloadCodec.defaults(), DecodeLimits.DEFAULT));
        }
        await().atMost(WAIT).until(() -> brokers.stream().allMatch(b -> b.view().size() == 3));
        brokers.get(0).onPeerMessage("a", m -> { });
        brokers.get(1).onPeerMessage("b", atB::add);
        await().atMost(WAIT).until(() -> brokers.get(1).hostOf("a").isPresent()
                && brokers.get(2).hostOf("a").isPresent() && brokers.get(2).hostOf("b").isPresent()
                && brokers.get(0).hostOf("b").isPresent());
    }

    private MemberId m1() {
        return transports.get(1).self();
    }

    /** m2 sends {@code bytes} to m1 on its own, sealed link. */
    private void fromM2(byte[] bytes) {
        assertThat(transports.get(2).send(m1(), bytes)).isTrue();
    }

    /** Waits until m1's broker has taken {@code frames} frames in all. */
    private ClusterBrokerMetrics afterReceiving(long frames) {
        await().atMost(WAIT).until(() -> brokers.get(1).clusterMetrics().framesReceived()
                >= frames);
        return brokers.get(1).clusterMetrics();
    }

    @Test
    void aCertifiedMember_speakingForAnotherMembersEndpoint_isDropped_andCounted() {
        List<Message> atB = new CopyOnWriteArrayList<>();
        start(atB);
        ClusterBrokerMetrics before = brokers.get(1).clusterMetrics();

        fromM2(codec.encode(BrokerFrame.direct(Message.of("t", "as a", "a", "b"), false)));
        fromM2(codec.encode(BrokerFrame.direct(Message.of("t", "control as a", "a", "b"), true)));
        fromM2(codec.encode(BrokerFrame.topic(Message.of("t", "published as a", "a", "news"))));
        fromM2(codec.encode(BrokerFrame.up(Map.of("a", Set.of("steal")))));
        fromM2(codec.encode(BrokerFrame.down(List.of("a"))));
        // what m2 may say: as an endpoint no member hosts
        fromM2(codec.encode(BrokerFrame.direct(Message.of("t", "as z", "z", "b"), false)));

        ClusterBrokerMetrics after = afterReceiving(before.framesReceived() + 6);
        await().atMost(WAIT).until(() -> atB.size() == 1);
        assertThat(atB).extracting(Message::payload).containsExactly("as z");
        assertThat(after.dropped() - before.dropped()).as("three messages as a, one announcement")
                .isEqualTo(4);
        assertThat(brokers.get(1).hostOf("a")).as("a DOWN for a from m2 changes nothing")
                .contains(transports.get(0).self());
        assertThat(transports.get(1).metrics().droppedUnauthenticated()).isZero();

        // and a goes on reaching b
        brokers.get(0).sendToPeer("a", "b", Message.of("t", "from a", "a", "b"));
        await().atMost(WAIT).until(() -> atB.size() == 2);
        assertThat(atB.get(1).payload()).isEqualTo("from a");
    }

    /** What m1's broker does with a frame: the oracle for one damaged frame. */
    private enum Fate {
        UNDECODABLE, SPEAKS_FOR_A, LEGITIMATE
    }

    private Fate fate(byte[] bytes) {
        BrokerFrame frame;
        try {
            frame = codec.decodeOrNull(bytes);
        } catch (ArtifactFormatException e) {
            return Fate.UNDECODABLE;
        }
        if (frame == null) {
            return Fate.UNDECODABLE;
        }
        return switch (frame.kind()) {
            case DIRECT, TOPIC -> frame.message().senderId().equals("a") ? Fate.SPEAKS_FOR_A
                    : Fate.LEGITIMATE;
            case UP -> frame.endpoints().contains("a") || frame.endpoints().contains("b")
                    ? Fate.SPEAKS_FOR_A : Fate.LEGITIMATE;
            case DOWN -> Fate.LEGITIMATE;
        };
    }

    /** Valid frames m2 could damage: every wire message kind, as sent by a to b. */
    private List<byte[]> corpus(SplittableRandom random) {
        List<byte[]> corpus = new ArrayList<>();
        for (int kind = 0; kind < WireSamples.KINDS; kind++) {
            Message message = Message.of("wire", WireSamples.message(random, kind), "a", "b");
            corpus.add(codec.encode(BrokerFrame.direct(message, random.nextBoolean())));
        }
        corpus.add(codec.encode(BrokerFrame.topic(Message.of("t", "news", "a", "topic"))));
        corpus.add(codec.encode(BrokerFrame.up(Map.of("a", Set.of("x", "y")))));
        return corpus;
    }

    @Test
    void damagedFrames_fromATrustedMember_areAllDroppedCleanly_andTheClusterKeepsWorking() {
        List<Message> atB = new CopyOnWriteArrayList<>();
        start(atB);
        long seed = FuzzRun.seed();
        int cases = FuzzRun.cases(1_000, 10_000);
        SplittableRandom random = new SplittableRandom(seed);
        List<byte[]> corpus = corpus(random);
        List<List<Mutator.LengthField>> lengthFields = corpus.stream()
                .map(Mutator::msgpackLengthFields).toList();
        ClusterBrokerMetrics before = brokers.get(1).clusterMetrics();
        Logger logger = (Logger) LoggerFactory.getLogger(ClusterMessageBroker.class);
        ListAppender<ILoggingEvent> warnings = new ListAppender<>();
        warnings.start();
        logger.addAppender(warnings);
        logger.setLevel(Level.WARN);
        logger.setAdditive(false);

        Map<Fate, Integer> fates = new EnumMap<>(Fate.class);
        int sent = 0;
        while (sent < cases) {
            byte[] bytes;
            if (random.nextInt(10) == 0) {
                bytes = new byte[random.nextInt(64)];
                random.nextBytes(bytes);
            } else {
                int pick = random.nextInt(corpus.size());
                bytes = Mutator.mutate(random, corpus.get(pick), lengthFields.get(pick)).bytes();
            }
            Fate fate = fate(bytes);
            fates.merge(fate, 1, Integer::sum);
            if (fate != Fate.LEGITIMATE) {
                fromM2(bytes);
                sent++;
            }
        }

        String replay = "seed " + seed + " (replay: -Dhivemesh.fuzz.seed=" + seed + "), " + fates;
        System.out.println("damaged frames from a trusted member: " + cases + " sent, " + replay);
        ClusterBrokerMetrics after = afterReceiving(before.framesReceived() + cases);
        logger.detachAppender(warnings);
        logger.setLevel(null);
        logger.setAdditive(true);
        assertThat(after.dropped() - before.dropped()).as(replay).isEqualTo(cases);
        assertThat(warnings.list).as("m2 is named once, then counted").singleElement()
                .satisfies(e -> assertThat(e.getFormattedMessage()).contains("m2")
                        .contains("further drops"));
        assertThat(after.refusedOnArrival()).as(replay).isEqualTo(before.refusedOnArrival());
        assertThat(atB).as(replay).isEmpty();
        assertThat(transports.get(1).metrics().droppedUnauthenticated()).isZero();
        assertThat(transports.get(1).view().size()).isEqualTo(3);

        // the receiver lives on: m2 as itself, and a, still reach b, in order
        fromM2(codec.encode(BrokerFrame.direct(Message.of("t", "as z", "z", "b"), false)));
        brokers.get(0).sendToPeer("a", "b", Message.of("t", "from a", "a", "b"));
        await().atMost(WAIT).until(() -> atB.size() == 2);
        assertThat(atB).extracting(Message::payload).containsExactlyInAnyOrder("as z", "from a");
    }
}
