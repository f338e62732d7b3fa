package io.github.hivemesh;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What {@code mvn verify} packs (failsafe, after {@code package}): the library jar, the
 * sources jar and the Javadoc jar, each with the project's LICENSE inside, the module
 * descriptor in the first two, and Javadoc for the module's exported packages only.
 */
class PackagedJarsIT {

    private static Path jar;
    private static Path sources;
    private static Path javadoc;
    private static byte[] license;

    @BeforeAll
    static void findTheJars() throws IOException {
        jar = Path.of(System.getProperty("hivemesh.jar", ""));
        String base = jar.toString().replaceFirst("\\.jar$", "");
        sources = Path.of(base + "-sources.jar");
        javadoc = Path.of(base + "-javadoc.jar");
        license = Files.readAllBytes(Path.of(System.getProperty("hivemesh.license", "")));
    }

    @Test
    void everyJar_carriesTheLicense() throws IOException {
        for (Path each : List.of(jar, sources, javadoc)) {
            assertThat(each).isRegularFile();
            try (JarFile file = new JarFile(each.toFile())) {
                ZipEntry entry = file.getEntry("META-INF/LICENSE");
                assertThat(entry).as("META-INF/LICENSE in %s", each.getFileName()).isNotNull();
                try (InputStream in = file.getInputStream(entry)) {
                    assertThat(in.readAllBytes()).as("the LICENSE of %s", each.getFileName())
                            .isEqualTo(license);
                }
            }
        }
    }

    @Test
    void libraryJar_holdsTheModuleAndNoTestOrDemoCode() throws IOException {
        List<String> names = names(jar);

        assertThat(names).contains("module-info.class",
                "io/github/hivemesh/ICoordinator.class");
        assertThat(names).noneMatch(n -> n.startsWith("io/github/hivemesh/demo/")
                || n.startsWith("io/github/hivemesh/testing/") || n.endsWith("Test.class")
                || n.startsWith("modular-app/"));
    }

    @Test
    void sourcesJar_holdsTheModuleDeclarationAndTheSources() throws IOException {
        assertThat(names(sources)).contains("module-info.java",
                "io/github/hivemesh/ICoordinator.java",
                "io/github/hivemesh/internal/SwarmRuntime.java");
    }

    @Test
    void javadocJar_documentsTheModule_butNotItsImplementationPackages() throws IOException {
        List<String> names = names(javadoc);

        assertThat(names).contains("index.html", "io.github.hivemesh/module-summary.html",
                "io.github.hivemesh/io/github/hivemesh/ICoordinator.html",
                "io.github.hivemesh/io/github/hivemesh/cluster/jgroups/package-summary.html");
        assertThat(names).noneMatch(n -> n.contains("/io/github/hivemesh/internal/"));
    }

    private static List<String> names(Path path) throws IOException {
        try (JarFile file = new JarFile(path.toFile())) {
            return file.stream().map(ZipEntry::getName).toList();
        }
    }
}
