package io.github.hivemesh.task;

import java.util.List;

/** Tasks were submitted whose dependencies form a cycle; none of them was accepted. */
public class CyclicDependencyException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final transient List<String> cycle;

    /**
     * An exception naming the cycle, first id repeated at the end
     * ({@code a -> b -> a}: a depends on b, which depends on a).
     *
     * @param cycle the task ids along the cycle, the first repeated at the end
     */
    public CyclicDependencyException(List<String> cycle) {
        super("dependency cycle: " + String.join(" -> ", cycle));
        this.cycle = List.copyOf(cycle);
    }

    /** {@return the task ids along the cycle, the first repeated at the end} */
    public List<String> cycle() {
        return cycle;
    }
}
