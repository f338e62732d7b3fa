package io.github.hivemesh.internal.cluster;

import io.github.hivemesh.cluster.ClusterListener;
import io.github.hivemesh.cluster.ClusterView;
import io.github.hivemesh.cluster.MemberId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns an engine's raw views and messages into what {@code ClusterTransport} promises its
 * listener. Every transport (JGroups, the test simulation) feeds its engine's events through
 * one gate, so the simulation exercises these rules as production runs them.
 *
 * <h2>Rules</h2>
 * <ul>
 * <li>A member of the previous view that is missing from a new engine view has
 * <em>departed</em>; so has one that a merge view shows in a subgroup without this member (it
 * went on without us: we hung or were cut off; this makes fencing symmetric, a resumed zombie
 * fences the members that excluded it). A departed member is never a member again (engine
 * views that bring it back list it as fenced), and nothing more from it is delivered.</li>
 * <li>A message is delivered when its sender is in the current view. Each message carries the
 * id of the view its sender had when sending: a message from a sender not in the view whose
 * view is newer than ours is from a joiner we have not seen yet — it waits in the join buffer
 * (bounded) and is delivered right after the view that admits its sender. Any other message
 * from outside the view is dropped, and its sender is then treated as departed, so what is
 * delivered from a sender stays a prefix of what it sent.</li>
 * <li>Listener calls that throw are logged and counted; delivery goes on.</li>
 * </ul>
 *
 * <p>Not thread-safe: the caller serializes every call (a lock in the JGroups transport, the
 * harness thread in the simulation); {@link #view()} may be read from any thread.
 *
 * <p>Not part of the API: the package {@code io.github.hivemesh.internal} may change without notice.
 */
public final class MembershipGate {

    /** Messages one not-yet-seen joiner may have waiting. */
    public static final int MAX_PENDING_PER_SENDER = 1024;
    /** Departed members remembered (oldest forgotten first). */
    public static final int MAX_DEPARTED = 65_536;

    private static final Logger LOG = LoggerFactory.getLogger(MembershipGate.class);

    private final MemberId self;
    private final ClusterListener listener;
    private final TransportCounters counters;
    private final long maxPendingBytes;
    private final LinkedHashSet<MemberId> departed = new LinkedHashSet<>();
    private final Map<MemberId, ArrayDeque<Pending>> pending = new LinkedHashMap<>();
    private final Set<String> warned = new java.util.HashSet<>();
    private long pendingBytes;
    private volatile ClusterView view;
    private boolean closed;

    private record Pending(long senderView, byte[] payload) {
    }

    /**
     * A gate for {@code self}, delivering to {@code listener}.
     *
     * @param maxPendingBytes payload bytes the join buffer holds in all
     */
    public MembershipGate(MemberId self, ClusterListener listener, TransportCounters counters,
            long maxPendingBytes) {
        this.self = Objects.requireNonNull(self, "self");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.counters = Objects.requireNonNull(counters, "counters");
        this.maxPendingBytes = maxPendingBytes;
    }

    /** The last view given to the listener, or null before the first. */
    public ClusterView view() {
        return view;
    }

    /** Whether {@code member} has departed for this gate. */
    public boolean isDeparted(MemberId member) {
        return departed.contains(member);
    }

    /** Messages waiting in the join buffer. */
    public int pending() {
        int n = 0;
        for (ArrayDeque<Pending> queue : pending.values()) {
            n += queue.size();
        }
        return n;
    }

    /** Stops all delivery: later calls are ignored and the join buffer is emptied. */
    public void close() {
        closed = true;
        pending.clear();
        pendingBytes = 0;
    }

    /**
     * An engine view. Gives the listener the view this gate makes of it, then any waiting
     * messages of joiners it admits.
     *
     * @param subgroupIds the view id of each of {@code subgroups}, in the same order
     * @return false if it was ignored: not newer than the current view, without this member,
     *         or the gate is closed
     */
    public boolean onView(long id, List<MemberId> members, boolean merge,
            List<List<MemberId>> subgroups, List<Long> subgroupIds) {
        if (subgroups.size() != subgroupIds.size()) {
            throw new IllegalArgumentException("one id per subgroup: " + subgroups.size()
                    + " subgroups, " + subgroupIds.size() + " ids");
        }
        if (closed) {
            return false;
        }
        ClusterView previous = view;
        if (previous != null && id <= previous.id() || !members.contains(self)) {
            warnOnce("view", "ignored engine view {} {}: older than the current view {} or "
                    + "without this member {}", id, members, previous, self);
            return false;
        }
        if (previous != null) {
            for (MemberId member : previous.members()) {
                if (!members.contains(member)
                        || merge && wentOnWithout(member, subgroups, subgroupIds)) {
                    depart(member);
                }
            }
        }
        List<MemberId> kept = new ArrayList<>(members.size());
        Set<MemberId> fenced = new LinkedHashSet<>();
        for (MemberId member : members) {
            (departed.contains(member) ? fenced : kept).add(member);
        }
        ClusterView next = new ClusterView(id, kept, merge, merge ? subgroups : List.of(),
                fenced);
        view = next;
        counters.views.increment();
        try {
            listener.onView(next);
        } catch (RuntimeException e) {
            listenerFailed("onView", e);
        }
        release(next);
        return true;
    }

    /**
     * A message from {@code from}, sent while its sender had view {@code senderView}. Delivers
     * it, holds it for a view to come, or drops it (counted).
     */
    public void onMessage(MemberId from, long senderView, byte[] payload) {
        if (closed) {
            return;
        }
        ClusterView current = view;
        if (departed.contains(from)) {
            counters.departed.increment();
            warnOnce("departed", "dropped a message from {}, which left this member's view",
                    from);
        } else if (current != null && current.contains(from)) {
            deliver(from, payload);
        } else if (current == null || senderView > current.id()) {
            hold(from, senderView, payload);
        } else {
            counters.notInView.increment();
            warnOnce("notInView", "dropped a message from {} (sent in view {}), not in this "
                    + "member's view {}", from, senderView, current);
            depart(from);
        }
    }

    /**
     * Whether a merge shows {@code member}, which was in our view, in a newest subgroup without
     * us: it went on without us (we hung, or were cut off), so to it we departed, and to us it
     * departs too. A member's newest subgroup is the one of highest view id that has it: a
     * zombie's subgroup is its stale view, which still lists members that have moved on, and
     * must not count for them (found by SimulatedClusterTest, seed 13). Members we never had in
     * a view (two members that started at once, each alone, now merged) are not affected.
     */
    private boolean wentOnWithout(MemberId member, List<List<MemberId>> subgroups,
            List<Long> subgroupIds) {
        long newest = Long.MIN_VALUE;
        for (int i = 0; i < subgroups.size(); i++) {
            if (subgroups.get(i).contains(member)) {
                newest = Math.max(newest, subgroupIds.get(i));
            }
        }
        boolean found = false;
        for (int i = 0; i < subgroups.size(); i++) {
            if (subgroupIds.get(i) == newest && subgroups.get(i).contains(member)) {
                found = true;
                if (subgroups.get(i).contains(self)) {
                    return false;
                }
            }
        }
        return found;
    }

    private void hold(MemberId from, long senderView, byte[] payload) {
        ArrayDeque<Pending> queue = pending.computeIfAbsent(from, k -> new ArrayDeque<>());
        if (queue.size() >= MAX_PENDING_PER_SENDER
                || pendingBytes + payload.length > maxPendingBytes) {
            counters.bufferFull.increment();
            warnOnce("bufferFull", "dropped a message from {}: the join buffer is full "
                    + "({} messages, {} bytes)", from, queue.size(), pendingBytes);
            dropPending(from, counters.bufferFull);
            depart(from);
            return;
        }
        queue.add(new Pending(senderView, payload));
        pendingBytes += payload.length;
    }

    private void release(ClusterView next) {
        for (Iterator<Map.Entry<MemberId, ArrayDeque<Pending>>> it = pending.entrySet()
                .iterator(); it.hasNext();) {
            Map.Entry<MemberId, ArrayDeque<Pending>> entry = it.next();
            MemberId from = entry.getKey();
            ArrayDeque<Pending> queue = entry.getValue();
            if (next.contains(from)) {
                it.remove();
                for (Pending p : queue) {
                    pendingBytes -= p.payload().length;
                    deliver(from, p.payload());
                }
            } else if (departed.contains(from) || queue.peekFirst().senderView() <= next.id()) {
                // Its sender is gone, or will never be admitted by a view its messages wait
                // for: dropping the head means dropping the rest, to keep the prefix.
                it.remove();
                for (Pending p : queue) {
                    pendingBytes -= p.payload().length;
                    counters.notInView.increment();
                }
                departed.add(from);
                trimDeparted();
            }
        }
    }

    private void dropPending(MemberId from, java.util.concurrent.atomic.LongAdder counter) {
        ArrayDeque<Pending> queue = pending.remove(from);
        if (queue != null) {
            for (Pending p : queue) {
                pendingBytes -= p.payload().length;
                counter.increment();
            }
        }
    }

    private void depart(MemberId member) {
        if (member.equals(self)) {
            return;
        }
        departed.add(member);
        dropPending(member, counters.departed);
        trimDeparted();
    }

    private void trimDeparted() {
        Iterator<MemberId> oldest = departed.iterator();
        while (departed.size() > MAX_DEPARTED) {
            oldest.next();
            oldest.remove();
        }
    }

    private void deliver(MemberId from, byte[] payload) {
        counters.delivered.increment();
        counters.bytesDelivered.add(payload.length);
        try {
            listener.onMessage(from, payload);
        } catch (RuntimeException e) {
            listenerFailed("onMessage", e);
        }
    }

    private void listenerFailed(String call, Throwable e) {
        counters.listenerFailures.increment();
        LOG.error("cluster listener {} of {} threw; delivery goes on", call, self, e);
    }

    private void warnOnce(String reason, String format, Object... args) {
        if (warned.add(reason)) {
            LOG.warn(format + " (logged once; see the transport's metrics for counts)", args);
        } else if (LOG.isDebugEnabled()) {
            LOG.debug(format, args);
        }
    }
}
