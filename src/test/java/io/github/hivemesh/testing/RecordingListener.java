package io.github.hivemesh.testing;

import io.github.hivemesh.cluster.ClusterListener;
import io.github.hivemesh.cluster.ClusterView;
import io.github.hivemesh.cluster.MemberId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link ClusterListener} that records everything, in delivery order, for tests to assert
 * on; it also checks the listener contract as it goes (calls never overlap; a message comes
 * only from a member of the last view) and counts violations instead of throwing, so a broken
 * guarantee shows up in the test, not as a dropped exception on an engine thread.
 *
 * <p>Thread-safe.
 */
public final class RecordingListener implements ClusterListener {

    /** One delivered message. */
    public record Received(MemberId from, byte[] payload) {
        /** The payload as UTF-8 text. */
        public String text() {
            return new String(payload, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    /** One listener call, in order: a view or a message. */
    public record Event(ClusterView view, Received message) {
    }

    private final List<ClusterView> views = new CopyOnWriteArrayList<>();
    private final List<Received> messages = new CopyOnWriteArrayList<>();
    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final AtomicInteger inCall = new AtomicInteger();
    private final List<String> violations = new CopyOnWriteArrayList<>();

    @Override
    public void onView(ClusterView view) {
        enter();
        try {
            ClusterView last = lastView();
            if (last != null && view.id() <= last.id()) {
                violations.add("view ids not increasing: " + last.id() + " then " + view.id());
            }
            views.add(view);
            events.add(new Event(view, null));
        } finally {
            inCall.decrementAndGet();
        }
    }

    @Override
    public void onMessage(MemberId from, byte[] payload) {
        enter();
        try {
            ClusterView last = lastView();
            if (last == null || !last.contains(from)) {
                violations.add("message from " + from + " not in the last view " + last);
            }
            Received received = new Received(from, payload);
            messages.add(received);
            events.add(new Event(null, received));
        } finally {
            inCall.decrementAndGet();
        }
    }

    private void enter() {
        if (inCall.incrementAndGet() != 1) {
            violations.add("overlapping listener calls");
        }
    }

    /** Views delivered so far. */
    public List<ClusterView> views() {
        return List.copyOf(views);
    }

    /** The last view, or null. */
    public ClusterView lastView() {
        return views.isEmpty() ? null : views.get(views.size() - 1);
    }

    /** Messages delivered so far. */
    public List<Received> messages() {
        return List.copyOf(messages);
    }

    /** Messages from {@code from}, as text, in delivery order. */
    public List<String> textsFrom(MemberId from) {
        List<String> texts = new ArrayList<>();
        for (Received r : messages) {
            if (r.from().equals(from)) {
                texts.add(r.text());
            }
        }
        return texts;
    }

    /** Every call, in order. */
    public List<Event> events() {
        return List.copyOf(events);
    }

    /** Contract violations seen (empty when all is well). */
    public List<String> violations() {
        return List.copyOf(violations);
    }
}
