package io.github.hivemesh;

import java.time.Duration;
import java.util.Objects;

/**
 * A snapshot of what a coordinator has done. Task counts are cumulative; {@code tasksQueued}
 * and {@code tasksRunning} are current.
 *
 * @param tasksSubmitted         tasks accepted, submitted and delegated
 * @param tasksCompleted         tasks whose {@code execute} returned
 * @param tasksFailed            tasks that failed, for any reason
 * @param tasksQueued            tasks waiting (dependencies, an agent, or a free slot)
 * @param tasksRunning           tasks whose {@code execute} is running
 * @param agents                 live agents
 * @param messagesSent           messages the swarm's broker accepted
 * @param signalsSent            completion signals sent and received (the mesh's
 *                               Dijkstra–Scholten signals, counted when their receiver has
 *                               applied them, so at quiescence all are counted; always 0 in the
 *                               hierarchy, which detects completion by counting and sends none)
 * @param taskLatencyP50         median time from submission to the end of a task
 * @param taskLatencyP95         95th percentile of the same
 * @param taskLatencyP99         99th percentile of the same
 * @param lastCompletionDetection time from the last task's end to the report of quiescence,
 *                               {@link Duration#ZERO} before the first detection
 * @param lateCompletions        stages of asynchronous sessions that completed after their task
 *                               had ended (timed out, cancelled, shut down), and were dropped
 */
public record CoordinatorMetrics(
        long tasksSubmitted,
        long tasksCompleted,
        long tasksFailed,
        long tasksQueued,
        long tasksRunning,
        int agents,
        long messagesSent,
        long signalsSent,
        Duration taskLatencyP50,
        Duration taskLatencyP95,
        Duration taskLatencyP99,
        Duration lastCompletionDetection,
        long lateCompletions) {

    /**
     * Checks the durations are present.
     *
     * @param tasksSubmitted tasks accepted, submitted and delegated
     * @param tasksCompleted tasks whose {@code execute} returned
     * @param tasksFailed tasks that failed, for any reason
     * @param tasksQueued tasks waiting (dependencies, an agent, or a free slot)
     * @param tasksRunning tasks whose {@code execute} is running
     * @param agents live agents
     * @param messagesSent messages the swarm's broker accepted
     * @param signalsSent completion signals sent and received (the mesh's Dijkstra–Scholten
     *     signals, counted when their receiver has applied them, so at quiescence all are counted;
     *     always 0 in the hierarchy, which detects completion by counting and sends none)
     * @param taskLatencyP50 median time from submission to the end of a task
     * @param taskLatencyP95 95th percentile of the same
     * @param taskLatencyP99 99th percentile of the same
     * @param lastCompletionDetection time from the last task's end to the report of quiescence,
     *     {@link Duration#ZERO} before the first detection
     * @param lateCompletions stages of asynchronous sessions that completed after their task had
     *     ended (timed out, cancelled, shut down), and were dropped*/
    public CoordinatorMetrics {
        Objects.requireNonNull(taskLatencyP50, "taskLatencyP50");
        Objects.requireNonNull(taskLatencyP95, "taskLatencyP95");
        Objects.requireNonNull(taskLatencyP99, "taskLatencyP99");
        Objects.requireNonNull(lastCompletionDetection, "lastCompletionDetection");
    }

    /** {@return tasks that have ended, completed or failed} */
    public long tasksEnded() {
        return tasksCompleted + tasksFailed;
    }
}
