package io.github.hivemesh;

/**
 * What a {@link ITopologyRouter} has decided so far.
 *
 * @param meshSelections         coordinators built as a mesh
 * @param hierarchicalSelections coordinators built hierarchically
 * @param autoSelections         selections made for {@link Topology#AUTO}
 * @param overrides              explicit topologies that differ from the recommendation
 * @param validationErrors       configurations refused for errors
 * @param validationWarnings     warnings issued
 */
public record TopologyRouterMetrics(
        long meshSelections,
        long hierarchicalSelections,
        long autoSelections,
        long overrides,
        long validationErrors,
        long validationWarnings) {

    /** {@return all coordinators built} */
    public long totalSelections() {
        return meshSelections + hierarchicalSelections;
    }
}
