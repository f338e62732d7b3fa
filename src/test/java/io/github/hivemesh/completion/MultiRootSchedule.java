package io.github.hivemesh.completion;

import io.github.hivemesh.broker.BrokerMetrics;
import io.github.hivemesh.broker.Message;
import io.github.hivemesh.broker.MessageHandler;
import io.github.hivemesh.testing.DeterministicBroker;
import io.github.hivemesh.testing.DeterministicHarness;
import io.github.hivemesh.testing.TaskLedger;
import io.github.hivemesh.testing.VirtualScheduler;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;

/**
 * One schedule of Dijkstra–Scholten with several roots, as cluster mode runs it: 2–3
 * <em>members</em>, each with its own production {@link DistributedCompletionDetector} (its
 * root R_m) and 1–3 peers of its own; every member submits work, and every task — wherever it
 * runs — delegates to peers of any member. A basic message carries its root and that root's
 * epoch; each peer keeps a node per root ({@link CompletionPeer#tree}) and calls a tree's
 * {@code onIdle} once no work of that root is left at the peer. A subtask that must wait is
 * parked at its own root by a basic message to that root (as a task waiting on a dependency
 * would be), which holds it and signals at once.
 *
 * <p>Messages between endpoints of different members are deferrable, like signals: with the
 * adversarial policies they are delivered late, after everything local that can move
 * (cross-member delays); FIFO per pair always holds, as the cluster transport guarantees.
 *
 * <p>Checked after every step, per root r: a waiting {@code detectCompletion} of r completes
 * true only when every task of r has ended and no message of r's tree is in flight, and
 * {@code isQuiescent()} of r equals that oracle both ways. At the end: every waiter true, every
 * peer neutral in every tree, and the acknowledgments the signals carried == basic messages
 * delivered (tasks and parks, counted by the production broker) == probes sent ==
 * acknowledgments received, summed over the members. Each schedule draws the detectors'
 * {@link DistributedCompletionConfig#signalBatchSize()}: 1 (a signal per basic message, then
 * the broker's signal count must equal the basic messages) or 2–6 (combined signals, at most
 * as many as basic messages).
 */
final class MultiRootSchedule {

    static final String TASK = "task";
    static final String PARK = "park";
    static final String STEP = "step";
    static final String SIGNAL = IDistributedCompletionDetector.SIGNAL_MESSAGE_TYPE;
    private static final String SWARM = "swarm";
    private static final long MAX_STEPS = 400_000;
    private static final Duration WAIT = Duration.ofDays(1);

    /** How the test peers treat roots. */
    enum Peers {
        /** One node per root, as specified. */
        PER_ROOT,
        /**
         * Negative control: every message handled by the peer's own node, whatever its root —
         * one engagement tree for all the members' work.
         */
        IGNORE_ROOT
    }

    /** What went wrong. */
    enum Violation {
        /** A root reported (or looked) quiescent while its work remained. */
        EARLY,
        /** A root was not quiescent although its work had ended. */
        LATE,
        /** Signals, basic messages, probes and acknowledgments differ. */
        SIGNAL_COUNT,
        /** No end within the step limit. */
        LIVELOCK
    }

    /** The result of one schedule; {@code violation} null when every check held. */
    record Outcome(long seed, Violation violation, String detail, long steps, long trace,
            int tasks, int members, long basicMessages, long signals, int signalBatchSize) {
        boolean ok() {
            return violation == null;
        }

        @Override
        public String toString() {
            return (ok() ? "ok" : violation + ": " + detail) + " [seed=" + seed + ", members="
                    + members + ", signal batch=" + signalBatchSize + ", steps=" + steps
                    + ", tasks=" + tasks
                    + "; replay with -Dhivemesh.seed=" + seed + "]";
        }
    }

    /** A task as a basic message carries it: its id, depth, steps, and its tree. */
    record Work(int id, int depth, int steps, String root, long epoch) {
    }


    private final long seed;
    private final Peers mode;
    private final DeterministicHarness harness;
    private final DeterministicBroker broker;
    private final SplittableRandom random;
    private final List<Member> members = new ArrayList<>();
    private final List<String> allPeers = new ArrayList<>();
    private final Map<String, Member> memberOfRoot = new HashMap<>();
    private final int maxDepth;
    private final int maxFanOut;
    private final int maxSteps;
    private final int budget;
    private final double parkChance;
    private final int signalBatchSize;
    private int created;
    /** Acknowledgments sent, summed over the signals' counts. */
    private long acknowledged;
    private Violation violation;
    private String detail;

    /** One member: its detector and root, its peers, its ledger and user actions. */
    private final class Member {
        final int index;
        final String rootId;
        final DistributedCompletionDetector detector;
        final TaskLedger ledger = new TaskLedger();
        final ArrayDeque<Work> parked = new ArrayDeque<>();
        final List<TestPeer> peers = new ArrayList<>();
        int lateSubmissions;
        int inFlight;
        CompletableFuture<Boolean> waiter;

        Member(int index, VirtualScheduler timeouts) {
            this.index = index;
            this.rootId = "m" + index + ".root";
            this.detector = new DistributedCompletionDetector(SWARM, rootId,
                    new Transport(rootId), DistributedCompletionConfig.builder()
                            .clock(timeouts.clock()).scheduler(timeouts)
                            .signalBatchSize(signalBatchSize).build(), RuleBreak.NONE);
        }

        boolean oracleQuiet() {
            return ledger.allEnded() && inFlight == 0;
        }

        /** The root's endpoint: signals of its tree, and parked subtasks. */
        void onRootMessage(Message message) {
            if (SIGNAL.equals(message.type())) {
                CompletionSignal signal = (CompletionSignal) message.payload();
                member(signal.rootId()).inFlight--;
                detector.root().onSignal(signal);
                return;
            }
            Work work = (Work) message.payload();
            member(work.root()).inFlight--;
            detector.root().hold();
            parked.add(work);
            // a root is always engaged: it acknowledges a basic message at once
            new Transport(rootId).send(new CompletionSignal(work.root(), work.epoch(),
                    message.senderId(), rootId, new long[] {message.messageId()}));
        }

        /** The root sends a task to a random peer of any member: deficit first. */
        void submit(Work work) {
            String target = allPeers.get(random.nextInt(allPeers.size()));
            Message message = Message.of(TASK, work, rootId, target);
            detector.root().onSend(target, message.messageId());
            inFlight++;
            broker.sendToPeer(rootId, target, message);
        }

        Work newTask(int depth) {
            created++;
            return new Work(ledger.create(), depth, 1 + random.nextInt(maxSteps), rootId,
                    detector.epoch());
        }

        boolean actionsLeft() {
            return lateSubmissions > 0 || !parked.isEmpty();
        }

        void userAction() {
            if (!parked.isEmpty() && (lateSubmissions == 0 || random.nextBoolean())) {
                submit(parked.poll());
                detector.root().release();
            } else {
                lateSubmissions--;
                submit(newTask(0));
            }
        }
    }

    /**
     * Sends signals as control messages from the signalling peer, counted in their tree; a
     * single acknowledgment comes from a peer's node in its own member's tree.
     */
    private final class Transport implements SignalTransport {
        private final String ownRoot;

        Transport(String ownRoot) {
            this.ownRoot = ownRoot;
        }

        @Override
        public void send(CompletionProbe acknowledgment) {
            send(CompletionSignal.of(ownRoot, acknowledgment));
        }

        @Override
        public void send(CompletionSignal signal) {
            member(signal.rootId()).inFlight++;
            acknowledged += signal.count();
            broker.sendControl(signal.recipientId(), signal.senderId(),
                    Message.of(SIGNAL, signal, signal.recipientId(), signal.senderId()));
        }
    }

    /** A peer of one member: runs one task at a time, each a few steps, delegating anywhere. */
    private final class TestPeer implements MessageHandler {
        final String id;
        final CompletionPeer node;
        final Message stepMessage;
        final ArrayDeque<Work> queue = new ArrayDeque<>();
        final Map<String, Integer> work = new HashMap<>();
        Work running;
        int stepsLeft;

        TestPeer(String id, Member member) {
            this.id = id;
            this.node = member.detector.addPeer(id);
            this.stepMessage = Message.of(STEP, null, id, id);
        }

        CompletionPeer tree(String root) {
            return mode == Peers.PER_ROOT ? node.tree(root) : node;
        }

        @Override
        public void onMessage(Message message) {
            switch (message.type()) {
                case TASK -> {
                    Work item = (Work) message.payload();
                    member(item.root()).inFlight--;
                    tree(item.root()).onReceive(message.senderId(), message.messageId(),
                            item.epoch());
                    work.merge(item.root(), 1, Integer::sum);
                    queue.add(item);
                    if (running == null) {
                        startNext();
                    }
                }
                case STEP -> step();
                case SIGNAL -> {
                    CompletionSignal signal = (CompletionSignal) message.payload();
                    member(signal.rootId()).inFlight--;
                    if (mode == Peers.PER_ROOT) {
                        node.onSignal(signal);
                    } else {
                        for (int i = 0; i < signal.count(); i++) {
                            node.onSignal(signal.acknowledgment(i));
                        }
                    }
                }
                default -> throw new IllegalStateException("unexpected " + message);
            }
        }

        private void startNext() {
            running = queue.poll();
            stepsLeft = running.steps();
            broker.sendControl(id, id, stepMessage);
        }

        private void step() {
            String root = running.root();
            CompletionPeer tree = tree(root);
            Member owner = member(root);
            int fanOut = running.depth() >= maxDepth || created >= budget ? 0
                    : random.nextInt(maxFanOut + 1);
            for (int n = 0; n < fanOut; n++) {
                created++;
                Work child = new Work(owner.ledger.create(), running.depth() + 1,
                        1 + random.nextInt(maxSteps), root, tree.epoch());
                boolean park = parkChance > 0 && random.nextDouble() < parkChance;
                String target = park ? root : allPeers.get(random.nextInt(allPeers.size()));
                Message message = Message.of(park ? PARK : TASK, child, id, target);
                tree.onSend(target, message.messageId());
                owner.inFlight++;
                if (broker.sendToPeer(id, target, message).isCompletedExceptionally()) {
                    throw new IllegalStateException("the broker refused a subtask from " + id);
                }
            }
            if (--stepsLeft > 0) {
                broker.sendControl(id, id, stepMessage);
                return;
            }
            owner.ledger.end(running.id());
            running = null;
            if (work.merge(root, -1, Integer::sum) == 0) {
                tree.onIdle();
            }
            if (!queue.isEmpty()) {
                startNext();
            }
        }
    }

    private MultiRootSchedule(long seed, Peers mode) {
        this.seed = seed;
        this.mode = mode;
        this.harness = DeterministicHarness.create(seed,
                m -> SIGNAL.equals(m.type()) || crossesMembers(m));
        this.broker = harness.broker();
        this.random = harness.random();
        VirtualScheduler timeouts = new VirtualScheduler();
        this.signalBatchSize = random.nextInt(3) == 0 ? 1 : 2 + random.nextInt(5);
        int count = 2 + random.nextInt(2);
        for (int m = 0; m < count; m++) {
            Member member = new Member(m, timeouts);
            members.add(member);
            memberOfRoot.put(member.rootId, member);
            broker.onPeerMessage(member.rootId, member::onRootMessage);
            member.lateSubmissions = random.nextInt(3);
            for (int p = 1 + random.nextInt(3); p > 0; p--) {
                String peerId = "m" + m + ".p" + member.peers.size();
                TestPeer peer = new TestPeer(peerId, member);
                member.peers.add(peer);
                allPeers.add(peerId);
                broker.onPeerMessage(peerId, peer);
            }
        }
        this.maxDepth = 1 + random.nextInt(4);
        this.maxFanOut = 1 + random.nextInt(3);
        this.maxSteps = 1 + random.nextInt(3);
        this.budget = 8 + random.nextInt(50);
        this.parkChance = random.nextInt(3) == 0 ? 0.15 : 0;
    }

    /** Whether a message goes from one member's endpoint to another member's. */
    private static boolean crossesMembers(Message message) {
        String from = message.senderId();
        String to = message.recipientId();
        return from != null && to != null && !memberPrefix(from).equals(memberPrefix(to));
    }

    private static String memberPrefix(String endpoint) {
        int dot = endpoint.indexOf('.');
        return dot < 0 ? endpoint : endpoint.substring(0, dot);
    }

    private Member member(String rootId) {
        Member member = memberOfRoot.get(rootId);
        if (member == null) {
            throw new IllegalStateException("no member has root '" + rootId + "'");
        }
        return member;
    }

    /** Runs the schedule of {@code seed}. */
    static Outcome run(long seed, Peers mode) {
        MultiRootSchedule schedule = new MultiRootSchedule(seed, mode);
        try {
            return schedule.execute();
        } finally {
            schedule.harness.close();
        }
    }

    private Outcome execute() {
        for (Member member : members) {
            for (int i = 1 + random.nextInt(2); i > 0; i--) {
                member.submit(member.newTask(0));
            }
        }
        check();
        while (violation == null) {
            Member acting = members.get(random.nextInt(members.size()));
            if (acting.actionsLeft() && random.nextInt(8) == 0) {
                acting.userAction();
                check();
                continue;
            }
            if (!harness.step()) {
                Member any = null;
                for (Member member : members) {
                    if (member.actionsLeft()) {
                        any = member;
                        break;
                    }
                }
                if (any == null) {
                    break;
                }
                any.userAction();
            }
            check();
            if (harness.steps() > MAX_STEPS) {
                fail(Violation.LIVELOCK, "no end after " + MAX_STEPS + " steps");
            }
        }
        if (violation == null) {
            finalChecks();
        }
        BrokerMetrics metrics = harness.realBroker().getMetrics();
        long basic = metrics.delivered(TASK) + metrics.delivered(PARK);
        return new Outcome(seed, violation, detail, harness.steps(), harness.trace(), created,
                members.size(), basic, metrics.delivered(SIGNAL), signalBatchSize);
    }

    private void check() {
        for (Member member : members) {
            boolean quiet = member.oracleQuiet();
            if (member.waiter != null && member.waiter.isDone()) {
                if (member.waiter.join() && !quiet) {
                    fail(Violation.EARLY, member.rootId + " reported completion at step "
                            + harness.steps() + " with " + (member.ledger.created()
                            - member.ledger.ended()) + " of its task(s) not ended and "
                            + member.inFlight + " message(s) of its tree in flight");
                    return;
                }
                member.waiter = null;
            }
            boolean quiescent = member.detector.isQuiescent();
            if (quiescent != quiet) {
                fail(quiescent ? Violation.EARLY : Violation.LATE, member.rootId
                        + " isQuiescent()=" + quiescent + " but oracle quiet=" + quiet
                        + " at step " + harness.steps());
                return;
            }
            if (member.waiter == null && !quiet) {
                member.waiter = member.detector.detectCompletion(SWARM, WAIT);
            }
        }
    }

    private void finalChecks() {
        long probes = 0;
        long acks = 0;
        for (Member member : members) {
            if (!member.oracleQuiet()) {
                fail(Violation.LIVELOCK, member.rootId + " drained but "
                        + (member.ledger.created() - member.ledger.ended())
                        + " task(s) never ended");
                return;
            }
            if (member.waiter != null && !(member.waiter.isDone() && member.waiter.join())
                    || !member.detector.detectCompletion(SWARM, Duration.ZERO).join()) {
                fail(Violation.LATE, member.rootId + ": everything ended but its waiter is "
                        + member.waiter);
                return;
            }
            for (TestPeer peer : member.peers) {
                if (!peer.node.isNeutral()) {
                    fail(Violation.LATE, peer.id + " is not neutral at the end: " + peer.node);
                    return;
                }
            }
            CompletionDetectorMetrics metrics = member.detector.getMetrics();
            probes += metrics.probesSent();
            acks += metrics.acknowledgmentsReceived();
        }
        BrokerMetrics metrics = harness.realBroker().getMetrics();
        long basic = metrics.delivered(TASK) + metrics.delivered(PARK);
        long signals = metrics.delivered(SIGNAL);
        boolean signalsFit = signalBatchSize == 1 ? signals == basic : signals <= basic;
        if (!signalsFit || acknowledged != basic || probes != basic || acks != basic) {
            fail(Violation.SIGNAL_COUNT, "broker delivered " + basic + " basic messages and "
                    + signals + " signals acknowledging " + acknowledged + "; detectors counted "
                    + probes + " probes and " + acks + " acknowledgments");
        }
    }

    private void fail(Violation kind, String why) {
        if (violation == null) {
            violation = kind;
            detail = why + " (policy " + harness.policy() + ")";
        }
    }
}
