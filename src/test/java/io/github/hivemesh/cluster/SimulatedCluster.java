package io.github.hivemesh.cluster;

import io.github.hivemesh.internal.cluster.MembershipGate;
import io.github.hivemesh.internal.cluster.TransportCounters;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A seeded, single-threaded stand-in for JGroups under {@link ClusterTransport}, for the
 * deterministic harness: members, views and messages whose every delivery is a
 * {@link #step()} drawn from the seed. Each member's transport feeds the production
 * {@link MembershipGate}, as the JGroups transport does, so what is tested here is what runs.
 *
 * <h2>What the simulated engine does (within JGroups' guarantees)</h2>
 * <ul>
 * <li>Every pair has one FIFO channel; deliveries of different pairs interleave in any order,
 * with views interleaved in any order across members (in order at each member).</li>
 * <li>{@link #crash}: the member stops; of what it had sent, a random prefix per channel is
 * still delivered (it was on the wire); the others get a view without it.</li>
 * <li>{@link #hang}: the member stops delivering and sending (its sends wait in an outbox);
 * the others get a view without it. {@link #resume}: it runs again as a zombie with its stale
 * view — either it suspects everyone and installs a view of itself, or (drawn from the seed) it
 * gets nothing until a merge, whose subgroups then show its stale view, as observed with
 * JGroups' MERGE3.</li>
 * <li>{@link #partition}: links across sides are cut (messages on them wait); each side gets a
 * view of its own, both sides with the same next view id. {@link #heal}: links come back and one
 * merge view (subgroups: each side's view) is installed everywhere, as MERGE3 would.</li>
 * <li>A message whose sender's engine view no longer has its recipient may be lost (the
 * sender stopped retransmitting) or delivered, drawn from the seed; once one is lost, so is
 * everything after it on that channel (UNICAST3 numbers messages and never skips one).</li>
 * </ul>
 *
 * <p>Use it from the harness thread only. {@link #factory()} plugs it into
 * {@link ClusterConfig#transportFactory()}, so production code builds its transports as usual.
 */
public final class SimulatedCluster {

    /** Deliberate faults, for negative controls that show the checks can fail. */
    public enum Fault {
        /** None: the engine keeps JGroups' guarantees. */
        NONE,
        /** The engine breaks FIFO: it may deliver any queued message of a channel. */
        ENGINE_REORDERS,
        /** No gate: the engine's raw views and messages go straight to the listener. */
        NO_GATE
    }

    private enum Status { NEW, RUNNING, HUNG, CRASHED, CLOSED }

    private record RawView(long id, List<MemberId> members, boolean merge,
            List<List<MemberId>> subgroups, List<Long> subgroupIds) {
    }

    private record Frame(long senderView, byte[] payload) {
    }

    /** A send of a hung member, waiting for it to run again. */
    private record Outgoing(Node to, Frame frame) {
    }

    /** A group of members that agree on a view (a partition side, or a zombie alone). */
    private static final class Group {
        final List<MemberId> members;
        final RawView view;

        Group(List<MemberId> members, RawView view) {
            this.members = List.copyOf(members);
            this.view = view;
        }
    }

    private final SplittableRandom random;
    private final Fault fault;
    private final Thread owner = Thread.currentThread();
    private final List<Node> nodes = new ArrayList<>();
    private final Map<MemberId, Node> byId = new LinkedHashMap<>();
    private final Map<Long, Channel> channels = new LinkedHashMap<>();
    private List<Group> groups = new ArrayList<>();
    private long nextIncarnation = 1;
    private int nextSide = 1;
    private long steps;
    private long lost;
    private long trace;

    /** A cluster drawing every choice from {@code random}; {@link Fault#NONE}. */
    public SimulatedCluster(SplittableRandom random) {
        this(random, Fault.NONE);
    }

    /** A cluster with a deliberate fault. */
    public SimulatedCluster(SplittableRandom random, Fault fault) {
        this.random = Objects.requireNonNull(random, "random");
        this.fault = Objects.requireNonNull(fault, "fault");
    }

    /** A factory making this cluster's transports, one member per {@code create}. */
    public ClusterTransportFactory factory() {
        return config -> transport(config.memberName());
    }

    /** A new, unstarted member named {@code name}. */
    public SimulatedTransport transport(String name) {
        checkThread();
        Node node = new Node(nodes.size(), name);
        nodes.add(node);
        return node.transport;
    }

    // ---- the schedule ------------------------------------------------------------------

    /** Takes one step: delivers one message or installs one view. False if nothing can move. */
    public boolean step() {
        checkThread();
        List<Object> enabled = new ArrayList<>();
        for (Channel channel : channels.values()) {
            if (!channel.queue.isEmpty() && channel.from.side == channel.to.side
                    && channel.to.status == Status.RUNNING) {
                enabled.add(channel);
            }
        }
        for (Node node : nodes) {
            if (node.status == Status.RUNNING && !node.queued.isEmpty()) {
                enabled.add(node);
            }
        }
        if (enabled.isEmpty()) {
            return false;
        }
        int choice = random.nextInt(enabled.size());
        trace = trace * 31 + choice;
        steps++;
        Object action = enabled.get(choice);
        if (action instanceof Channel channel) {
            deliver(channel);
        } else {
            ((Node) action).installNext();
        }
        return true;
    }

    /** Steps until nothing moves or {@code maxSteps} were taken; returns the steps taken. */
    public long runUntilQuiet(long maxSteps) {
        long taken = 0;
        while (taken < maxSteps && step()) {
            taken++;
        }
        return taken;
    }

    /** Steps taken. */
    public long steps() {
        return steps;
    }

    /** A hash of every choice: equal traces, same schedule. */
    public long trace() {
        return trace;
    }

    /** Messages the engine lost because their sender had stopped retransmitting. */
    public long lost() {
        return lost;
    }

    private void deliver(Channel channel) {
        Frame frame;
        if (fault == Fault.ENGINE_REORDERS && channel.queue.size() > 1 && random.nextInt(4) == 0) {
            List<Frame> copy = new ArrayList<>(channel.queue);
            frame = copy.remove(random.nextInt(copy.size()));
            channel.queue.clear();
            channel.queue.addAll(copy);
        } else {
            frame = channel.queue.poll();
        }
        RawView senderView = channel.from.latestEngineView();
        if (channel.broken || senderView != null && !senderView.members().contains(channel.to.id)
                && random.nextBoolean()) {
            // UNICAST3 never skips a sequence number: once the sender gave up on this
            // connection, nothing after the lost message arrives either
            channel.broken = true;
            lost++;
            return;
        }
        channel.to.receive(channel.from.id, frame);
    }

    // ---- failures ----------------------------------------------------------------------

    /** The member stops for good; the others see it leave. */
    public void crash(MemberId member) {
        Node node = running(member, "crash");
        node.status = Status.CRASHED;
        node.stopDelivering();
        for (Channel channel : channels.values()) {
            if (channel.from == node) {
                int keep = random.nextInt(channel.queue.size() + 1);
                while (channel.queue.size() > keep) {
                    channel.queue.pollLast();
                }
            }
        }
        exclude(node);
    }

    /** The member freezes: no delivery, no sending; the others see it leave. */
    public void hang(MemberId member) {
        Node node = running(member, "hang");
        node.status = Status.HUNG;
        exclude(node);
    }

    /** A hung member runs again, as a zombie with its stale view. */
    public void resume(MemberId member) {
        checkThread();
        Node node = byId.get(member);
        if (node == null || node.status != Status.HUNG) {
            throw new IllegalStateException(member + " is not hung");
        }
        node.status = Status.RUNNING;
        RawView stale = node.latestEngineView();
        if (random.nextBoolean()) {
            RawView alone = new RawView(stale.id() + 1, List.of(member), false, List.of(),
                    List.of());
            node.queued.add(alone);
            groups.add(new Group(List.of(member), alone));
        } else {
            groups.add(new Group(List.of(member), stale));
        }
        for (Outgoing out : node.outbox) {
            channel(node, out.to()).queue.add(out.frame());
        }
        node.outbox.clear();
    }

    /**
     * Cuts the links between {@code sides}; members of no side are cut off alone. Each group
     * split by this gets a view per side, all with the same next id.
     */
    public void partition(List<List<MemberId>> sides) {
        checkThread();
        for (Node node : nodes) {
            node.side = nextSide++;
        }
        for (List<MemberId> side : sides) {
            int number = nextSide++;
            for (MemberId member : side) {
                Node node = byId.get(member);
                if (node != null) {
                    node.side = number;
                }
            }
        }
        List<Group> next = new ArrayList<>();
        for (Group group : groups) {
            Map<Integer, List<MemberId>> parts = new LinkedHashMap<>();
            for (MemberId member : group.members) {
                parts.computeIfAbsent(byId.get(member).side, k -> new ArrayList<>()).add(member);
            }
            if (parts.size() == 1) {
                next.add(group);
                continue;
            }
            for (List<MemberId> part : parts.values()) {
                RawView view = new RawView(group.view.id() + 1, part, false, List.of(),
                        List.of());
                for (MemberId member : part) {
                    byId.get(member).queued.add(view);
                }
                next.add(new Group(part, view));
            }
        }
        groups = next;
    }

    /** All links come back and every group merges into one, by one merge view. */
    public void heal() {
        checkThread();
        for (Node node : nodes) {
            node.side = 0;
        }
        if (groups.size() < 2) {
            return;
        }
        List<MemberId> members = new ArrayList<>();
        List<List<MemberId>> subgroups = new ArrayList<>();
        List<Long> subgroupIds = new ArrayList<>();
        long id = 0;
        for (Group group : groups) {
            members.addAll(group.members);
            subgroups.add(group.view.members());
            subgroupIds.add(group.view.id());
            id = Math.max(id, group.view.id());
        }
        RawView merged = new RawView(id + 1, members, true, subgroups, subgroupIds);
        for (MemberId member : members) {
            byId.get(member).queued.add(merged);
        }
        groups = new ArrayList<>(List.of(new Group(members, merged)));
    }

    private Node running(MemberId member, String what) {
        checkThread();
        Node node = byId.get(member);
        if (node == null || node.status != Status.RUNNING) {
            throw new IllegalStateException("cannot " + what + " " + member + ": not running");
        }
        return node;
    }

    /** A new view without {@code node} for the others of its group. */
    private void exclude(Node node) {
        List<Group> next = new ArrayList<>();
        for (Group group : groups) {
            if (!group.members.contains(node.id)) {
                next.add(group);
                continue;
            }
            List<MemberId> rest = new ArrayList<>(group.members);
            rest.remove(node.id);
            if (rest.isEmpty()) {
                continue;
            }
            RawView view = new RawView(group.view.id() + 1, rest, false, List.of(), List.of());
            for (MemberId member : rest) {
                byId.get(member).queued.add(view);
            }
            next.add(new Group(rest, view));
        }
        groups = next;
        for (Iterator<Channel> it = channels.values().iterator(); it.hasNext();) {
            Channel channel = it.next();
            if (channel.to == node && node.status != Status.HUNG) {
                it.remove();
            }
        }
    }

    private void join(Node node) {
        byId.put(node.id, node);
        node.status = Status.RUNNING;
        Group target = null;
        for (Group group : groups) {
            if (byId.get(group.members.get(0)).status == Status.RUNNING) {
                target = group;
                break;
            }
        }
        RawView first;
        if (target == null) {
            node.side = 0;
            first = new RawView(1, List.of(node.id), false, List.of(), List.of());
            groups.add(new Group(List.of(node.id), first));
        } else {
            node.side = byId.get(target.members.get(0)).side;
            List<MemberId> members = new ArrayList<>(target.members);
            members.add(node.id);
            first = new RawView(target.view.id() + 1, members, false, List.of(),
                    List.of());
            for (MemberId member : target.members) {
                byId.get(member).queued.add(first);
            }
            groups.set(groups.indexOf(target), new Group(members, first));
        }
        node.queued.add(first);
        node.installNext();
    }

    private void leave(Node node) {
        node.status = Status.CLOSED;
        node.stopDelivering();
        exclude(node);
    }

    private Channel channel(Node from, Node to) {
        return channels.computeIfAbsent((long) from.index << 32 | to.index,
                k -> new Channel(from, to));
    }

    private void checkThread() {
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("the simulated cluster belongs to thread '"
                    + owner.getName() + "': the schedule would not replay");
        }
    }

    private static final class Channel {
        final Node from;
        final Node to;
        final ArrayDeque<Frame> queue = new ArrayDeque<>();
        boolean broken;

        Channel(Node from, Node to) {
            this.from = from;
            this.to = to;
        }
    }

    /** One member: its engine state and its gate. */
    private final class Node {
        final int index;
        final String name;
        final SimulatedTransport transport;
        final ArrayDeque<RawView> queued = new ArrayDeque<>();
        final List<Outgoing> outbox = new ArrayList<>();
        final TransportCounters counters = new TransportCounters();
        MemberId id;
        Status status = Status.NEW;
        RawView installed;
        int side;
        MembershipGate gate;
        ClusterListener listener;
        ClusterView rawView;

        Node(int index, String name) {
            this.index = index;
            this.name = name;
            this.transport = new SimulatedTransport(this);
        }

        RawView latestEngineView() {
            return queued.isEmpty() ? installed : queued.peekLast();
        }

        void installNext() {
            RawView view = queued.poll();
            installed = view;
            if (fault == Fault.NO_GATE) {
                rawView = new ClusterView(view.id(), view.members(), view.merge(),
                        view.merge() ? view.subgroups() : List.of(), Set.of());
                listener.onView(rawView);
            } else {
                gate.onView(view.id(), view.members(), view.merge(), view.subgroups(),
                        view.subgroupIds());
            }
        }

        void receive(MemberId from, Frame frame) {
            if (fault == Fault.NO_GATE) {
                counters.delivered.increment();
                listener.onMessage(from, frame.payload());
            } else {
                gate.onMessage(from, frame.senderView(), frame.payload());
            }
        }

        void stopDelivering() {
            if (gate != null) {
                gate.close();
            }
        }

        ClusterView view() {
            return fault == Fault.NO_GATE ? rawView : gate.view();
        }
    }

    /** A member's {@link ClusterTransport}, driven by the cluster's schedule. */
    public final class SimulatedTransport implements ClusterTransport {

        private final Node node;

        private SimulatedTransport(Node node) {
            this.node = node;
        }

        @Override
        public ClusterView start(ClusterListener listener) {
            Objects.requireNonNull(listener, "listener");
            checkThread();
            if (node.status != Status.NEW) {
                throw new IllegalStateException("a cluster transport starts once");
            }
            node.listener = listener;
            node.id = new MemberId(node.name, nextIncarnation++);
            node.gate = new MembershipGate(node.id, listener, node.counters, 64L << 20);
            join(node);
            return view();
        }

        @Override
        public MemberId self() {
            if (node.id == null) {
                throw new IllegalStateException("not started");
            }
            return node.id;
        }

        @Override
        public ClusterView view() {
            ClusterView view = node.id == null ? null : node.view();
            if (view == null) {
                throw new IllegalStateException("not started");
            }
            return view;
        }

        @Override
        public boolean send(MemberId to, byte[] payload) {
            Objects.requireNonNull(to, "to");
            Objects.requireNonNull(payload, "payload");
            checkThread();
            if (to.equals(self())) {
                throw new IllegalArgumentException("a member does not send to itself");
            }
            if (node.status == Status.CLOSED || node.status == Status.CRASHED
                    || !view().contains(to)) {
                return false;
            }
            Node target = byId.get(to);
            Frame frame = new Frame(view().id(), payload);
            node.counters.sent.increment();
            node.counters.bytesSent.add(payload.length);
            if (node.status == Status.HUNG) {
                node.outbox.add(new Outgoing(target, frame));
            } else {
                channel(node, target).queue.add(frame);
            }
            return true;
        }

        @Override
        public List<MemberId> sendToAll(byte[] payload) {
            Objects.requireNonNull(payload, "payload");
            List<MemberId> sent = new ArrayList<>();
            for (MemberId member : view().members()) {
                if (!member.equals(self()) && send(member, payload)) {
                    sent.add(member);
                }
            }
            return List.copyOf(sent);
        }

        @Override
        public ClusterTransportMetrics metrics() {
            return node.counters.snapshot();
        }

        @Override
        public void close() {
            checkThread();
            if (node.status == Status.RUNNING || node.status == Status.HUNG) {
                leave(node);
            }
        }

        @Override
        public String toString() {
            return "SimulatedTransport[" + (node.id == null ? node.name : node.id) + "]";
        }
    }
}
