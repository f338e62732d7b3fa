package io.github.hivemesh.internal.wire;

import java.util.Objects;

/**
 * News about one attempt of a task between the member holding its record (its home) and the
 * member running it (cluster mode): {@link Kind#STARTED} from the running peer to the home's
 * desk when its session starts, {@link Kind#CANCEL} from the home to the running peer when the
 * task ended there first (cancelled, timed out) and its session should stop — control traffic,
 * not work — and {@link Kind#RELEASED} from a peer that leaves with the task queued, unrun:
 * a basic message of the task's root's tree (its {@code root} and {@code epoch}), on which the
 * home places the task again.
 *
 * @param kind    what happened
 * @param taskId  the task
 * @param serial  the home's registration of it (see {@link Assign#serial()})
 * @param attempt the attempt
 * @param root    for {@link Kind#RELEASED}: the root whose work it is ({@code ""}: the
 *                recipient's own)
 * @param epoch   for {@link Kind#RELEASED}: that root's epoch, as the sender knew it
 */
public record TaskNotice(Kind kind, String taskId, long serial, int attempt, String root,
        long epoch) implements WireMessage {

    /** The broker message type. */
    public static final String TYPE = "task.notice";

    /** What a notice says; codes on the wire are never reused. */
    public enum Kind {
        /** The running peer started the session (wire code 1). */
        STARTED(1),
        /** The task has ended at its home: stop running it (wire code 2). */
        CANCEL(2),
        /** The peer leaves and gives the unrun task back to its home (wire code 3). */
        RELEASED(3);

        private final int code;

        Kind(int code) {
            this.code = code;
        }

        /** {@return its code on the wire} */
        public int code() {
            return code;
        }

        /** {@return the kind of {@code code}, or null for an unknown one} */
        static Kind of(int code) {
            for (Kind kind : values()) {
                if (kind.code == code) {
                    return kind;
                }
            }
            return null;
        }
    }

    /** Checks the fields. */
    public TaskNotice {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(root, "root");
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt must be at least 1, was " + attempt);
        }
    }

    /** A notice that is not a basic message (root {@code ""}, epoch 0). */
    public TaskNotice(Kind kind, String taskId, long serial, int attempt) {
        this(kind, taskId, serial, attempt, "", 0);
    }

    @Override
    public String wireType() {
        return TYPE;
    }
}
