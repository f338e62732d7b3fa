package io.github.hivemesh.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.hivemesh.ICoordinator;
import io.github.hivemesh.testing.ChildJvm;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * JGroups and LangChain4j (with the Jackson it brings) are optional dependencies: the core
 * loads and runs without them. A child JVM whose class path is this one minus those jars runs
 * {@link NoJGroupsSwarmMain}.
 */
class NoJGroupsOnClassPathTest {

    /** The optional dependencies' jars (and what only they bring), by their Maven paths. */
    private static final List<String> OPTIONAL = List.of("/org/jgroups/", "/dev/langchain4j/",
            "/com/fasterxml/jackson/", "/org/apache/opennlp/", "/org/jspecify/");

    @Test
    void theCore_loadsAndRunsSwarms_withoutJGroupsOrLangChain4j() throws Exception {
        String classPath = Arrays.stream(System.getProperty("java.class.path")
                .split(File.pathSeparator))
                .filter(entry -> OPTIONAL.stream()
                        .noneMatch(entry.replace('\\', '/')::contains))
                .collect(Collectors.joining(File.pathSeparator));
        assertThat(classPath).isNotEqualTo(System.getProperty("java.class.path"));
        Path mainClasses = Path.of(ICoordinator.class.getProtectionDomain().getCodeSource()
                .getLocation().toURI());
        try (ChildJvm child = ChildJvm.builder(NoJGroupsSwarmMain.class).classPath(classPath)
                .name("no-jgroups").arg(mainClasses.toString()).start()) {
            int exit = child.awaitExit(Duration.ofSeconds(120));
            assertThat(exit).as("exit code; output: %s%s", child.lines(), child.stderrTail())
                    .isZero();
            assertThat(child.lines()).contains("OK", "MESH ran 5 tasks",
                    "HIERARCHICAL ran 5 tasks");
        }
    }
}
