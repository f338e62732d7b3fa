package io.github.hivemesh.internal.wire;

/**
 * A message that would travel between processes: it holds only values — ids, numbers, task
 * specifications, payloads through the {@code PayloadCodec}, errors through the error codec —
 * never a future, a runnable or a reference to an actor. Each kind has a versioned MessagePack
 * codec ({@code WireCodecs}); local commands, which may hold references, are not wire
 * messages and never leave their JVM.
 *
 * <p>The permitted kinds are the whole wire protocol of the swarm.
 */
public sealed interface WireMessage permits Assign, Result, Signal, UserMail, Returned,
        TeamTasks, TeamRoom, TeamRequeue, TeamQueued, StealChance, StealRequest, Stolen,
        PeerStealChance, PeerStealRequest, PeerStolen, TaskNotice, DependencyNotice {

    /** The broker message type this kind travels under (counted by the broker). */
    String wireType();
}
