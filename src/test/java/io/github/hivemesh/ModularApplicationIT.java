package io.github.hivemesh;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.hivemesh.testing.ChildJvm;
import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged library jar as a modular application sees it: a module of its own
 * ({@code src/test/resources/modular-app/app}, whose module-info only says
 * {@code requires io.github.hivemesh;}) compiles against the jar and its runtime dependencies
 * and runs a tiny swarm with {@code java -p ... -m ...} and no other flag; the implementation
 * packages are neither visible to its compiler nor reachable by reflection. An application
 * that uses the optional JGroups engine ({@code modular-app/cluster-user}) adds
 * {@code requires org.jgroups;} and the JGroups jar, and nothing else.
 *
 * <p>Runs after {@code package} (failsafe), on the jar {@code mvn verify} just built, whose path
 * the build passes in {@code hivemesh.jar}.
 */
class ModularApplicationIT {

    /**
     * The library's runtime dependencies, as a Maven user gets them (README, "Runtime
     * dependencies"; jctools-core comes with jctools-core-jdk11). JGroups is optional and left
     * out: the core must run without it.
     */
    private static final List<String> RUNTIME_ARTIFACTS = List.of("slf4j-api", "msgpack-core",
            "HdrHistogram", "jctools-core-jdk11", "jctools-core");

    private static final String INTERNAL = "io.github.hivemesh.internal";

    private static Path jar;
    private static String modulePath;
    private static String jgroups;

    @BeforeAll
    static void findTheJarAndItsDependencies() {
        String property = System.getProperty("hivemesh.jar");
        assertThat(property).as("hivemesh.jar (set by the failsafe configuration in pom.xml)")
                .isNotBlank();
        jar = Path.of(property);
        assertThat(jar).as("the packaged library jar").isRegularFile();
        List<String> entries = new ArrayList<>(List.of(jar.toString()));
        List<String> classPath = Arrays.asList(System.getProperty("java.class.path")
                .split(Pattern.quote(File.pathSeparator)));
        for (String artifact : RUNTIME_ARTIFACTS) {
            Pattern name = Pattern.compile(Pattern.quote(artifact) + "-\\d[^/]*\\.jar");
            List<String> found = classPath.stream()
                    .filter(e -> name.matcher(Path.of(e).getFileName().toString()).matches())
                    .toList();
            assertThat(found).as("%s on the test class path", artifact).hasSize(1);
            entries.addAll(found);
        }
        modulePath = String.join(File.pathSeparator, entries);
        Pattern jgroupsJar = Pattern.compile("jgroups-\\d[^/]*\\.jar");
        List<String> found = classPath.stream()
                .filter(e -> jgroupsJar.matcher(Path.of(e).getFileName().toString()).matches())
                .toList();
        assertThat(found).as("jgroups on the test class path").hasSize(1);
        jgroups = found.get(0);
    }

    @Test
    void modularApplication_compilesAndRunsATinySwarm_withNoExtraFlags(@TempDir Path out)
            throws Exception {
        List<String> diagnostics = compile(source("app"), out, modulePath);
        assertThat(diagnostics).as("javac -Xlint:all -Werror on the application").isEmpty();

        try (ChildJvm app = ChildJvm.modular(out + File.pathSeparator + modulePath,
                "swarm.app", "swarm.app.SwarmApp").name("modular-app").start()) {
            int status = app.awaitExit(Duration.ofSeconds(90));
            assertThat(status).as("exit status; stdout %s%s", app.lines(), app.stderrTail())
                    .isZero();
            assertThat(app.lines()).containsExactly(
                    "MODULE swarm.app uses io.github.hivemesh",
                    "COMPLETED true root root leaves 4 tasks 5",
                    "EXPORTED " + INTERNAL + " false",
                    "INTERNAL refused IllegalAccessException");
        }
    }

    @Test
    void implementationPackage_isNotVisibleToAnApplicationsCompiler(@TempDir Path out)
            throws Exception {
        List<String> diagnostics = compile(source("internal-user"), out, modulePath);

        assertThat(diagnostics).anySatisfy(d -> assertThat(d)
                .contains("package " + INTERNAL + " is not visible"));
        assertThat(String.join("\n", diagnostics))
                .contains("which does not export it");
    }

    @Test
    void clusterApplication_requiringOrgJgroupsItself_compilesAndBuildsTheDefaultStack(
            @TempDir Path out) throws Exception {
        String withJGroups = modulePath + File.pathSeparator + jgroups;
        List<String> diagnostics = compile(source("cluster-user"), out, withJGroups);
        assertThat(diagnostics).as("javac -Xlint:all -Werror on the application").isEmpty();

        try (ChildJvm app = ChildJvm.modular(out + File.pathSeparator + withJGroups,
                "swarm.cluster", "swarm.cluster.ClusterApp").name("modular-cluster").start()) {
            int status = app.awaitExit(Duration.ofSeconds(90));
            assertThat(status).as("exit status; stdout %s%s", app.lines(), app.stderrTail())
                    .isZero();
            assertThat(app.lines()).containsExactly("STACK org.jgroups TCP");
        }
    }

    @Test
    void jarDescribesTheModule_exportingEveryPackageButTheImplementation() throws IOException {
        ModuleDescriptor module = ModuleFinder.of(jar).findAll().stream().findFirst()
                .orElseThrow().descriptor();
        Set<String> packages = new TreeSet<>();
        try (JarFile file = new JarFile(jar.toFile())) {
            file.stream().map(ZipEntry::getName)
                    .filter(n -> n.endsWith(".class") && n.contains("/"))
                    .forEach(n -> packages.add(n.substring(0, n.lastIndexOf('/'))
                            .replace('/', '.')));
        }
        Set<String> api = packages.stream()
                .filter(p -> !p.equals(INTERNAL) && !p.startsWith(INTERNAL + "."))
                .collect(Collectors.toCollection(TreeSet::new));

        assertThat(module.name()).isEqualTo("io.github.hivemesh");
        assertThat(module.isAutomatic()).isFalse();
        assertThat(module.packages()).containsAll(packages);
        assertThat(module.exports()).allSatisfy(e -> assertThat(e.isQualified())
                .as("%s exported to named modules only", e.source()).isFalse());
        Set<String> exported = module.exports().stream().map(ModuleDescriptor.Exports::source)
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(exported)
                .as("exported packages: every package of the jar outside " + INTERNAL)
                .isEqualTo(api);
        assertThat(module.opens()).isEmpty();
        Map<String, Set<ModuleDescriptor.Requires.Modifier>> requires = module.requires()
                .stream().collect(Collectors.toMap(ModuleDescriptor.Requires::name,
                        ModuleDescriptor.Requires::modifiers));
        assertThat(requires).containsKeys("org.slf4j", "msgpack.core", "HdrHistogram",
                "org.jctools.core.jdk11");
        assertThat(requires.get("org.jgroups")).as("the optional JGroups engine")
                .contains(ModuleDescriptor.Requires.Modifier.STATIC);
    }

    private static List<Path> source(String module) throws IOException, URISyntaxException {
        URL root = Objects.requireNonNull(ModularApplicationIT.class.getResource(
                "/modular-app/" + module), module);
        try (Stream<Path> files = Files.walk(Path.of(root.toURI()))) {
            return files.filter(f -> f.toString().endsWith(".java")).sorted().toList();
        }
    }

    /**
     * Compiles {@code sources} as an application would, against {@code modulePath}; returns
     * javac's diagnostics.
     */
    private static List<String> compile(List<Path> sources, Path out, String modulePath)
            throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> collector = new DiagnosticCollector<>();
        StringWriter log = new StringWriter();
        try (StandardJavaFileManager files = javac.getStandardFileManager(collector, null,
                null)) {
            // No class path: javac would otherwise default it to this JVM's (the test class
            // path, which holds target/classes), and see the library a second time there.
            files.setLocation(StandardLocation.CLASS_PATH, List.of());
            Boolean ok = javac.getTask(log, files, collector, List.of("--release", "17",
                    "-Xlint:all", "-Werror", "--module-path", modulePath, "-d", out.toString()),
                    null, files.getJavaFileObjectsFromPaths(sources)).call();
            List<String> messages = collector.getDiagnostics().stream()
                    .map(d -> d.getKind() + ": " + d.getMessage(null))
                    .collect(Collectors.toCollection(ArrayList::new));
            if (!ok && messages.stream().noneMatch(m -> m.startsWith(
                    Diagnostic.Kind.ERROR.name()))) {
                messages.add("ERROR: javac failed: " + log);
            }
            return messages;
        }
    }
}
