package io.github.hivemesh.internal.wire;

import io.github.hivemesh.task.Task;

/**
 * How a swarm treats what would cross a process: {@link #OFF}, the in-process default, passes
 * objects as they are; a forced wire ({@link ForcedWire}) sends every wire message, task output
 * and error through encode and decode, as if it had crossed, so a swarm that runs with it on is
 * one whose protocol is complete.
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
        public void admit(Task task) {
            // nothing crosses: any payload will do
        }

        @Override
        public WireMessage carry(WireMessage message) {
            return message;
        }

        @Override
        public Object carryOutput(String taskId, Object output) {
            return output;
        }

        @Override
        public Throwable carryError(Throwable error) {
            return error;
        }

        @Override
        public String toString() {
            return "Wire.OFF";
        }
    };

    /** Whether values are encoded and decoded on their way. */
    boolean isForced();

    /**
     * Checks that {@code task} can cross, when it is submitted or delegated: so what the payload
     * codec refuses fails that call, and never a later send inside an actor.
     *
     * @throws io.github.hivemesh.wire.UnsupportedPayloadException if the payload codec refuses
     *         its payload (the message names the task and the value's type)
     * @throws io.github.hivemesh.artifact.ArtifactFormatException if the task as a whole is
     *         more than a reader accepts
     */
    void admit(Task task);

    /**
     * The message as its recipient would see it.
     *
     * @throws io.github.hivemesh.wire.UnsupportedPayloadException the payload codec's refusal,
     *         naming the type it cannot carry
     */
    WireMessage carry(WireMessage message);

    /**
     * Task {@code taskId}'s output as its owner would see it; throws like {@link #carry}
     * (naming the task).
     */
    Object carryOutput(String taskId, Object output);

    /** A task's error as its owner would see it (never throws). */
    Throwable carryError(Throwable error);
}
