package io.github.hivemesh;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package map of {@code docs/architecture.md}, checked on the main sources' imports: no
 * import cycle between packages but the one made by design at the root — the root package
 * builds the coordinators ({@code CoordinatorFactory}, {@code TopologyRouter}) and carries their
 * settings ({@code SwarmConfig}), and they implement its contract — the leaf utilities import
 * nothing of ours, the two topologies never import each other, and nothing outside
 * {@code internal} but the topologies uses {@code internal} beyond its leaf utilities.
 */
class PackageDependencyTest {

    private static final String ROOT = "io.github.hivemesh";
    /**
     * What the root package builds and configures — the topologies, and the cluster a swarm
     * joins ({@code SwarmConfig.cluster}): its edges to them are allowed.
     */
    private static final Set<String> TOPOLOGIES = Set.of(ROOT + ".mesh", ROOT + ".hierarchy",
            ROOT + ".cluster");
    private static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);",
            Pattern.MULTILINE);
    private static final Pattern IMPORT = Pattern.compile(
            "^import (?:static )?(io\\.github\\.hivemesh[\\w.]*?)\\.[A-Z]\\w*(?:\\.\\w+)*;",
            Pattern.MULTILINE);

    /** Package → the packages it imports → the files importing them. */
    private static final Map<String, Map<String, Set<String>>> IMPORTS = new TreeMap<>();

    @BeforeAll
    static void readSources() throws IOException {
        Path sources = Path.of("src/main/java");
        assertThat(sources).as("run from the project's root").isDirectory();
        try (Stream<Path> files = Files.walk(sources)) {
            files.filter(f -> f.toString().endsWith(".java")
                    && !f.getFileName().toString().equals("module-info.java"))
                    .forEach(PackageDependencyTest::read);
        }
        assertThat(IMPORTS).containsKeys(ROOT, ROOT + ".mesh", ROOT + ".hierarchy",
                ROOT + ".internal");
    }

    private static void read(Path file) {
        String source;
        try {
            source = Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Matcher declared = PACKAGE.matcher(source);
        if (!declared.find()) {
            return;
        }
        String from = declared.group(1);
        Map<String, Set<String>> imports = IMPORTS.computeIfAbsent(from, p -> new TreeMap<>());
        Matcher imported = IMPORT.matcher(source);
        while (imported.find()) {
            String to = imported.group(1);
            if (!to.equals(from)) {
                imports.computeIfAbsent(to, p -> new TreeSet<>())
                        .add(file.getFileName().toString());
            }
        }
    }

    @Test
    void noPackageCycle_butTheRootsByDesign() {
        Map<String, Set<String>> graph = new HashMap<>();
        IMPORTS.forEach((from, imports) -> imports.forEach((to, files) -> {
            boolean byDesign = from.equals(ROOT) && TOPOLOGIES.contains(to);
            if (!byDesign) {
                graph.computeIfAbsent(from, p -> new TreeSet<>()).add(to);
            }
        }));
        List<String> cycles = new ArrayList<>();
        for (Set<String> component : stronglyConnected(graph)) {
            if (component.size() > 1) {
                cycles.add(component + " via " + edgesWithin(component));
            }
        }
        assertThat(cycles).as("import cycles between packages").isEmpty();
    }

    @Test
    void leafUtilities_importNothingOfOurs() {
        assertThat(IMPORTS.getOrDefault(ROOT + ".internal.util", Map.of()))
                .as("what internal.util imports").isEmpty();
    }

    @Test
    void theTopologies_neverImportEachOther() {
        assertThat(IMPORTS.get(ROOT + ".mesh")).doesNotContainKey(ROOT + ".hierarchy");
        assertThat(IMPORTS.get(ROOT + ".hierarchy")).doesNotContainKey(ROOT + ".mesh");
    }

    @Test
    void apiPackages_useNoInternalsButTheLeafUtilities() {
        Map<String, Set<String>> misuse = new TreeMap<>();
        IMPORTS.forEach((from, imports) -> {
            boolean allowed = from.startsWith(ROOT + ".internal") || from.equals(ROOT + ".mesh")
                    || from.equals(ROOT + ".hierarchy") || from.startsWith(ROOT + ".cluster");
            if (allowed) {
                return;
            }
            imports.forEach((to, files) -> {
                if (to.startsWith(ROOT + ".internal") && !to.equals(ROOT + ".internal.util")) {
                    misuse.put(from + " -> " + to, files);
                }
            });
        });
        assertThat(misuse).as("API packages importing the library's internals").isEmpty();
    }

    private static String edgesWithin(Set<String> component) {
        List<String> edges = new ArrayList<>();
        for (String from : component) {
            IMPORTS.getOrDefault(from, Map.of()).forEach((to, files) -> {
                if (component.contains(to)) {
                    edges.add(shortName(from) + "->" + shortName(to) + " " + files);
                }
            });
        }
        return edges.toString();
    }

    private static String shortName(String pkg) {
        return pkg.equals(ROOT) ? "(root)" : pkg.substring(ROOT.length() + 1);
    }

    /** Tarjan's strongly connected components. */
    private static List<Set<String>> stronglyConnected(Map<String, Set<String>> graph) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new TreeSet<>();
        List<Set<String>> components = new ArrayList<>();
        int[] next = {0};
        for (String start : new TreeSet<>(graph.keySet())) {
            if (!index.containsKey(start)) {
                visit(start, graph, index, low, stack, onStack, components, next);
            }
        }
        return components;
    }

    private static void visit(String node, Map<String, Set<String>> graph,
            Map<String, Integer> index, Map<String, Integer> low, Deque<String> stack,
            Set<String> onStack, List<Set<String>> components, int[] next) {
        // recursion depth is bounded by the number of packages (a few dozen)
        index.put(node, next[0]);
        low.put(node, next[0]);
        next[0]++;
        stack.push(node);
        onStack.add(node);
        for (String to : graph.getOrDefault(node, Set.of())) {
            if (!index.containsKey(to)) {
                visit(to, graph, index, low, stack, onStack, components, next);
                low.put(node, Math.min(low.get(node), low.get(to)));
            } else if (onStack.contains(to)) {
                low.put(node, Math.min(low.get(node), index.get(to)));
            }
        }
        if (low.get(node).equals(index.get(node))) {
            Set<String> component = new TreeSet<>();
            String member;
            do {
                member = stack.pop();
                onStack.remove(member);
                component.add(member);
            } while (!member.equals(node));
            components.add(component);
        }
    }
}
