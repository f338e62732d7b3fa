package io.github.hivemesh.internal.wire;

/**
 * How a swarm treats what would cross a process: {@link #OFF}, the in-process default, passes
 * objects as they are; a forced wire sends every wire message, task output and error through
 * encode and decode, as if it had crossed, so a swarm that runs with it on is one whose
 * protocol is complete.
 *
 * <p>Implementations are stateless and thread-safe.
 */
public interface Wire {

    /** Objects pass as they are. */
    Wire OFF = new Wire() {
        @Override
        public boolean isForced() {
            return false;
        }

        @Override
        public WireMessage carry(WireMessage message) {
            return message;
        }

        @Override
        public Object carryOutput(Object output) {
            return output;
        }

        @Override
        public Throwable carryError(Throwable error) {
            return error;
        }
    };

    /** Whether values are encoded and decoded on their way. */
    boolean isForced();

    /**
     * The message as its recipient would see it.
     *
     * @throws RuntimeException the payload codec's refusal, naming the type it cannot carry
     */
    WireMessage carry(WireMessage message);

    /** A task's output as its owner would see it; throws like {@link #carry}. */
    Object carryOutput(Object output);

    /** A task's error as its owner would see it (never throws). */
    Throwable carryError(Throwable error);
}
