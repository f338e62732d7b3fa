package io.github.hivemesh.hierarchy;

/**
 * The message types the queen, the team leads and the workers exchange. All travel as control
 * messages: the queen's intake is bounded by {@link HierarchicalCoordinatorConfig#queueCapacity()}
 * and a team's by its slots, so no mailbox bound is needed on top.
 */
final class HierarchyMessages {

    /** A task accepted by the swarm, for the queen (payload: its {@link Job}). */
    static final String SUBMIT = "hierarchy.submit";
    /** A team has free slots or queued work: the queen should dispatch (payload: none). */
    static final String ROOM = "hierarchy.room";
    /** Tasks a team gives back because none of its workers can run them (payload: jobs). */
    static final String REQUEUE = "hierarchy.requeue";
    /** A task the queen tracks for dependencies has ended (payload: its record). */
    static final String FINISHED = "hierarchy.finished";
    /** Tasks the queen places on a team (payload: jobs). */
    static final String TASKS = "hierarchy.tasks";
    /** A session has ended, for its team (payload: the session task). */
    static final String DONE = "hierarchy.done";
    /** A worker joins a team (payload: {@link Worker}). */
    static final String JOIN = "hierarchy.join";
    /** A worker leaves its team (payload: {@link Worker}). */
    static final String LEAVE = "hierarchy.leave";
    /** A team's queue is no longer empty: idle teams may steal (payload: none). */
    static final String QUEUED = "hierarchy.queued";
    /** Queued work exists elsewhere: steal some if you can start it (payload: none). */
    static final String STEAL_CHANCE = "hierarchy.steal-chance";
    /** Give queued tasks to an idle team (payload: a {@link TeamLead.StealRequest}). */
    static final String STEAL = "hierarchy.steal";
    /** The answer to a steal: the tasks taken, maybe none (payload: jobs). */
    static final String STOLEN = "hierarchy.stolen";

    /** Run a continuation in a team lead's mailbox (payload: a {@link Runnable}). */
    static final String RUN = "hierarchy.run";
    /** Pause a worker (payload: {@link WorkerRequest} with the checkpoint future). */
    static final String PAUSE = "hierarchy.pause";
    /** Resume a worker (payload: {@link WorkerRequest} with the checkpoint id). */
    static final String RESUME = "hierarchy.resume";
    /** The idle sweeper found a worker idle past due (payload: {@link WorkerRequest}). */
    static final String AUTO_PAUSE = "hierarchy.auto-pause";

    /** A request about one worker, to its team lead. */
    record WorkerRequest(Worker worker, Object argument,
            java.util.concurrent.CompletableFuture<?> done) {
    }

    private HierarchyMessages() {
    }
}
