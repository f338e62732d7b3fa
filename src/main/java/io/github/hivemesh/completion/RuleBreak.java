package io.github.hivemesh.completion;

/**
 * A rule of Dijkstra–Scholten deliberately broken. Exists only so that the schedule tests can
 * show they fail when the algorithm is wrong (the negative control); production detectors are
 * always {@link #NONE}.
 */
enum RuleBreak {
    /** The algorithm as specified. */
    NONE,
    /** Rule 4 broken: an idle engaged peer signals its parent even while its deficit is not 0. */
    DETACH_BEFORE_DEFICIT_ZERO,
    /** Rule 2 broken: a neutral peer signals a basic message at once instead of engaging. */
    SIGNAL_ON_ENGAGEMENT
}
