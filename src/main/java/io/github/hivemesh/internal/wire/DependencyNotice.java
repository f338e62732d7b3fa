package io.github.hivemesh.internal.wire;

import java.util.Objects;

/**
 * A dependency named across members (cluster mode): a member whose submission or subtask
 * depends on a task id it does not know asks every other member's desk for it
 * ({@link Kind#LOOKUP}); each answers {@link Kind#HELD}, {@link Kind#UNKNOWN} or
 * {@link Kind#REFUSED}, and the one holding it later says how it ended ({@link Kind#COMPLETED}
 * or {@link Kind#FAILED}, with the error). Control traffic between desks: the dependent task
 * waits at its own member's root meanwhile, so no completion tree needs these.
 *
 * @param kind    what is asked or told
 * @param taskId  the task depended on
 * @param lookup  the asking member's number for this lookup, echoed in every answer
 * @param error   for {@link Kind#FAILED}: why it failed; null otherwise
 */
public record DependencyNotice(Kind kind, String taskId, long lookup, Throwable error)
        implements WireMessage {

    /** The broker message type. */
    public static final String TYPE = "dependency.notice";

    /** What a notice says; codes on the wire are never reused. */
    public enum Kind {
        /** Does the recipient hold this task? (wire code 1) */
        LOOKUP(1),
        /** It does, and will say how it ends (wire code 2). */
        HELD(2),
        /** It does not (wire code 3). */
        UNKNOWN(3),
        /**
         * It does, but the task still waits for dependencies of its own: not a dependency
         * another member may wait on (that is what keeps waits across members acyclic; wire
         * code 4).
         */
        REFUSED(4),
        /** The task completed (wire code 5). */
        COMPLETED(5),
        /** The task failed; {@code error} says why (wire code 6). */
        FAILED(6);

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

    /** Checks the fields: an error exactly with {@link Kind#FAILED}. */
    public DependencyNotice {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(taskId, "taskId");
        if ((kind == Kind.FAILED) != (error != null)) {
            throw new IllegalArgumentException("a dependency notice carries an error exactly "
                    + "when it says FAILED; was " + kind + (error == null ? " without" : " with")
                    + " one");
        }
    }

    @Override
    public String wireType() {
        return TYPE;
    }
}
