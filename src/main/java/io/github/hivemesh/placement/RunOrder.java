package io.github.hivemesh.placement;

import java.util.Comparator;
import java.util.Objects;
import java.util.function.ToDoubleFunction;
import java.util.function.ToIntFunction;
import java.util.function.ToLongFunction;

/**
 * The order in which a queue starts its waiting tasks: higher priority first, and within a
 * priority the <em>longest estimated</em> task first (LPT, longest processing time first).
 *
 * <h2>Why longest first</h2>
 * With a batch of tasks on P identical workers, what keeps the makespan above ΣT / P is the
 * long task started last: it runs on alone while the others are idle. Graham's list scheduling
 * in LPT order ("Bounds on multiprocessing timing anomalies", 1969) starts the long tasks while
 * there is still plenty of short work to fill in around them, and is within 4/3 of the optimum
 * in the worst case; with many tasks per worker it is within a few per cent (the reference
 * batch in {@code docs/placement.md}). Estimates that are only roughly right keep most of the
 * gain: the order only needs the long tasks near the front.
 *
 * <h2>Ties and tasks without an estimate</h2>
 * Equal estimates keep submission order. A task without an estimate (the estimate function
 * returns {@code NaN}) comes before the estimated tasks of its priority, in submission order:
 * nothing is known of its length, it may be long, and starting it early is what bounds the
 * damage of a long one. A stream of higher-priority or longer tasks can hold a task back, as
 * any priority order can; nothing here ages waiting tasks.
 *
 * <p>Nothing here knows what a task is: the comparator reads three properties through the
 * functions it is given. Stateless and thread-safe; the comparator allocates nothing.
 */
public final class RunOrder {

    private RunOrder() {
    }

    /**
     * Higher {@code priority} first; within a priority, tasks without an estimate (NaN) first,
     * then larger {@code costEstimate} first; ties by smaller {@code sequence} (submission
     * order). A total order when sequences are unique.
     *
     * @param priority     a task's priority, larger first
     * @param costEstimate a task's cost estimate (positive), or NaN when it has none
     * @param sequence     a task's submission number, smaller first
     * @param <T> the value's type
     * @return the comparator
     */
    public static <T> Comparator<T> priorityThenLongestFirst(ToIntFunction<? super T> priority,
            ToDoubleFunction<? super T> costEstimate, ToLongFunction<? super T> sequence) {
        Objects.requireNonNull(priority, "priority");
        Objects.requireNonNull(costEstimate, "costEstimate");
        Objects.requireNonNull(sequence, "sequence");
        return (a, b) -> {
            int pa = priority.applyAsInt(a);
            int pb = priority.applyAsInt(b);
            if (pa != pb) {
                return pa > pb ? -1 : 1;
            }
            double ea = costEstimate.applyAsDouble(a);
            double eb = costEstimate.applyAsDouble(b);
            boolean unknownA = Double.isNaN(ea);
            boolean unknownB = Double.isNaN(eb);
            if (unknownA != unknownB) {
                return unknownA ? -1 : 1;
            }
            if (!unknownA && ea != eb) {
                return ea > eb ? -1 : 1;
            }
            return Long.compare(sequence.applyAsLong(a), sequence.applyAsLong(b));
        };
    }
}
