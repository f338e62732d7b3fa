package io.github.hivemesh;

import java.util.List;
import java.util.Objects;

/**
 * What {@link ITopologyRouter#validateTopology} thinks of a configuration.
 *
 * @param valid               no errors (warnings allowed)
 * @param errors              what makes the configuration unusable
 * @param warnings            what works but is likely a mistake
 * @param recommendedTopology the topology the router would pick for this size
 * @param suggestions         how to fix the errors or warnings
 */
public record TopologyValidationResult(
        boolean valid,
        List<String> errors,
        List<String> warnings,
        Topology recommendedTopology,
        List<String> suggestions) {

    /**
     * Copies the lists.
     *
     * @param valid no errors (warnings allowed)
     * @param errors what makes the configuration unusable
     * @param warnings what works but is likely a mistake
     * @param recommendedTopology the topology the router would pick for this size
     * @param suggestions how to fix the errors or warnings
     */
    public TopologyValidationResult {
        errors = List.copyOf(Objects.requireNonNull(errors, "errors"));
        warnings = List.copyOf(Objects.requireNonNull(warnings, "warnings"));
        suggestions = List.copyOf(Objects.requireNonNull(suggestions, "suggestions"));
        Objects.requireNonNull(recommendedTopology, "recommendedTopology");
    }
}
