package io.github.hivemesh;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "Null is not an argument" (CONVENTIONS.md), checked over the whole public API: every public
 * constructor and method of every public type outside {@code internal} is called once per
 * reference parameter with that parameter null and every other a valid sample
 * ({@link ApiSamples}), and must throw {@link NullPointerException} whose message is exactly the
 * parameter's name — what {@code Objects.requireNonNull(x, "x")} at the start gives. A method
 * that accepts null silently, or fails later with another message, fails this test.
 *
 * <p>Interfaces are walked on the implementation {@link ApiSamples} registers for them; an
 * implementation's own methods are walked again on the class. Exempt as groups: constructors of
 * exceptions (their arguments only feed the message), {@code equals(Object)} (false for null by
 * contract), an enum's implicit {@code valueOf(String)}, and public methods that implement an
 * interface of the {@code internal} package (not API: their parameter types cannot be
 * obtained by a user). Everything else exempt is named below, one parameter at a time.
 */
class PublicApiNullTest {

    private static final String ROOT = "io.github.hivemesh";

    /**
     * Parameters whose documented contract accepts null, as {@code Type#method(param)}
     * ({@code Type#Type(param)} for a constructor). An entry on an interface or a superclass
     * covers the implementations' overrides.
     */
    static final Map<String, String> NULLABLE = Map.ofEntries(
            entry("Task.Builder#payload(payload)", "a task's payload may be null"),
            entry("Messaging#sendToPeer(payload)", "a message's payload may be null"),
            entry("Messaging#broadcast(payload)", "a message's payload may be null"),
            entry("Messaging#broadcastToCapability(payload)", "a message's payload may be null"),
            entry("ICoordinator#sendToPeer(payload)", "a message's payload may be null"),
            entry("Message#Message(payload)", "a message's payload may be null"),
            entry("Message#Message(senderId)", "null before the message is sent"),
            entry("Message#Message(recipientId)", "null before sending and for topic messages"),
            entry("Message#of(payload)", "a message's payload may be null"),
            entry("Message#of(senderId)", "null before the message is sent"),
            entry("Message#of(recipientId)", "null before sending and for topic messages"),
            entry("TaskResult#TaskResult(output)", "what execute returned; null when failed"),
            entry("TaskResult#TaskResult(error)", "null when completed"),
            entry("TaskResult#TaskResult(agentId)", "null if the task never reached an agent"),
            entry("TaskResult#TaskResult(startedAt)", "null if execute never began"),
            entry("TaskResult#completed(output)", "execute may return null"),
            entry("TaskResult#failed(agentId)", "null if the task never reached an agent"),
            entry("TaskResult#failed(startedAt)", "null if execute never began"),
            entry("TaskStatus#TaskStatus(assignedAgent)", "null before assignment"),
            entry("TaskStatus#TaskStatus(parentTaskId)", "null for a submitted task"),
            entry("TaskStatus#TaskStatus(assignedAt)", "null before assignment"),
            entry("TaskStatus#TaskStatus(startedAt)", "null before it starts"),
            entry("TaskStatus#TaskStatus(finishedAt)", "null before it ends"),
            entry("TaskStatus#TaskStatus(error)", "null unless FAILED"),
            entry("PeerDiscoveryMetrics#PeerDiscoveryMetrics(lastDiscoveryTime)",
                    "null if no peer was ever discovered"),
            entry("MemoryEntry#MemoryEntry(content)", "a remembered item may be null"),
            entry("ISwarmMemoryManager#remember(content)", "a remembered item may be null"),
            entry("AgentSession#onResume(checkpointId)", "null: resume without a checkpoint"),
            entry("AgentSession#onResume(state)", "null: no checkpoint was stored"),
            entry("IQueryController#resumeAgent(checkpointId)",
                    "null: resume without a checkpoint"),
            entry("AgentControl#resume(checkpointId)", "null: resume without a checkpoint"),
            entry("FieldWriter#string(value)", "a null value writes no field (documented)"),
            entry("FieldWriter#binary(value)", "a null value writes no field (documented)"),
            entry("FieldWriter#strings(values)", "a null value writes no field (documented)"),
            entry("FieldWriter#stringMap(values)", "a null value writes no field (documented)"),
            entry("FieldWriter#longMap(values)", "a null value writes no field (documented)"),
            entry("FieldWriter#int64s(values)", "a null value writes no field (documented)"),
            entry("FieldWriter#stringSets(values)", "a null value writes no field (documented)"),
            entry("FieldWriter#embedded(value)", "a null value writes no field (documented)"),
            entry("FieldWriter#embeddedList(values)",
                    "a null value writes no field (documented)"),
            entry("PayloadCodec#encode(value)", "null is a payload (the default codec's nil)"),
            entry("FieldReader#require(value)", "the check itself: null means the field is "
                    + "missing, reported as ArtifactFormatException"));

    /**
     * Parameters this walk cannot call with samples, with the reason. Keep it short: a better
     * sample in {@link ApiSamples} is the first answer.
     */
    static final Map<String, String> NOT_WALKED = Map.ofEntries(
            entry("AgentSession#execute(context)",
                    "a user callback: the library has no implementation to check"),
            entry("MessageHandler#onMessage(message)",
                    "a user callback: the library has no implementation to check"),
            entry("AgentMessageHandler#onMessage(message)",
                    "a user callback: the library has no implementation to check"),
            entry("AgentMessageHandler#onMessage(context)",
                    "a user callback: the library has no implementation to check"),
            entry("ClusterListener#onView(view)",
                    "a user callback: the library has no implementation to check"),
            entry("ClusterListener#onMessage(from)",
                    "a user callback: the library has no implementation to check"),
            entry("ClusterListener#onMessage(payload)",
                    "a user callback: the library has no implementation to check"),
            entry("SwarmTool#execute(request)",
                    "a user callback: the library has no implementation to check"),
            entry("SwarmTool#execute(context)",
                    "a user callback: the library has no implementation to check"),
            entry("ClusterDirectoryListener#onAnnounced(endpoint)",
                    "a user callback: the library has no implementation to check"),
            entry("ClusterDirectoryListener#onLeft(endpoint)",
                    "a user callback: the library has no implementation to check"));

    @Test
    void everyPublicMethod_rejectsNull_withTheParameterName(@TempDir Path dir) throws Exception {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        Walk walk = new Walk();
        try (ApiSamples samples = new ApiSamples(dir)) {
            assertThat(newThreads(before)).as("threads of the sample swarms").isNotEmpty();
            for (Class<?> type : apiTypes()) {
                walk.type(type, samples);
            }
        }
        System.out.println(walk.summary());

        assertThat(walk.classes).as("public API types found").isGreaterThan(60);
        assertThat(walk.failures).as("parameters that do not reject null with their name")
                .isEmpty();
        assertThat(walk.unused()).as("allowlist entries that match no parameter").isEmpty();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(newThreads(before)).as("threads left by the walk").isEmpty());
    }

    private static List<String> newThreads(Set<Thread> before) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.isAlive() && !before.contains(thread))
                .map(Thread::getName)
                .filter(name -> name.startsWith("hivemesh"))
                .sorted()
                .collect(Collectors.toList());
    }

    /** Every public type (public all the way out) of the exported packages, by name. */
    static List<Class<?>> apiTypes() throws IOException, URISyntaxException,
            ClassNotFoundException {
        Path classes = Path.of(ICoordinator.class.getProtectionDomain().getCodeSource()
                .getLocation().toURI());
        Path root = classes.resolve(ROOT.replace('.', '/'));
        List<Class<?>> types = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.sorted().collect(Collectors.toList())) {
                String relative = classes.relativize(file).toString().replace('\\', '/');
                if (!relative.endsWith(".class") || relative.endsWith("package-info.class")
                        || relative.startsWith(ROOT.replace('.', '/') + "/internal/")) {
                    continue;
                }
                String name = relative.substring(0, relative.length() - ".class".length())
                        .replace('/', '.');
                Class<?> type = Class.forName(name, false, PublicApiNullTest.class
                        .getClassLoader());
                if (isPublicApi(type)) {
                    types.add(type);
                }
            }
        }
        return types;
    }

    private static boolean isPublicApi(Class<?> type) {
        if (type.isSynthetic() || type.isAnonymousClass() || type.isLocalClass()) {
            return false;
        }
        for (Class<?> c = type; c != null; c = c.getEnclosingClass()) {
            if (!Modifier.isPublic(c.getModifiers())) {
                return false;
            }
        }
        return true;
    }

    /** {@code Task.Builder} for {@code io.github.hivemesh.task.Task$Builder}. */
    static String shortName(Class<?> type) {
        String name = type.getName();
        return name.substring(name.lastIndexOf('.') + 1).replace('$', '.');
    }

    /** The walk's counts and findings. */
    static final class Walk {

        int classes;
        int executables;
        int parameters;
        int allowlisted;
        int notWalked;
        final Map<String, Integer> exempt = new TreeMap<>();
        final List<String> failures = new ArrayList<>();
        private final Set<String> used = new HashSet<>();

        void type(Class<?> type, ApiSamples samples) {
            classes++;
            for (Executable executable : executables(type)) {
                String group = exemptGroup(type, executable);
                if (group != null) {
                    exempt.merge(group, 1, Integer::sum);
                    continue;
                }
                check(type, executable, samples);
            }
        }

        private void check(Class<?> type, Executable executable, ApiSamples samples) {
            Parameter[] params = executable.getParameters();
            List<Object> targets = new ArrayList<>();
            if (executable instanceof Method method && !Modifier.isStatic(method.getModifiers())) {
                targets.addAll(samples.receivers(type));
            } else {
                targets.add(null);
            }
            boolean counted = false;
            for (int i = 0; i < params.length; i++) {
                if (params[i].getType().isPrimitive()) {
                    continue;
                }
                String key = key(type, executable, params[i]);
                if (!params[i].isNamePresent()) {
                    failures.add(key + ": no parameter name (compile with -parameters)");
                    continue;
                }
                if (lookup(NULLABLE, type, executable, i) != null) {
                    allowlisted++;
                    continue;
                }
                if (lookup(NOT_WALKED, type, executable, i) != null) {
                    notWalked++;
                    continue;
                }
                if (targets.isEmpty()) {
                    failures.add(key + ": no instance of " + type.getName() + " to call it on");
                    continue;
                }
                if (!counted) {
                    executables++;
                    counted = true;
                }
                parameters++;
                Set<String> names = new LinkedHashSet<>();
                for (Executable declaration : declarations(type, executable).values()) {
                    names.add(declaration.getParameters()[i].getName());
                }
                for (Object target : targets) {
                    String outcome = callWithNull(executable, target, i, names, samples);
                    if (outcome != null) {
                        failures.add(key + (targets.size() > 1 ? " on "
                                + target.getClass().getName() : "") + ": " + outcome);
                    }
                }
            }
        }

        /**
         * Null when the call threw NPE whose message is one of {@code names} (the parameter's
         * name here or in a declaration it overrides); otherwise what happened instead.
         */
        private static String callWithNull(Executable executable, Object target, int index,
                Set<String> names, ApiSamples samples) {
            Parameter[] params = executable.getParameters();
            Object[] args = new Object[params.length];
            for (int i = 0; i < params.length; i++) {
                if (i != index) {
                    Object sample = samples.sample(params[i].getType());
                    if (sample == null) {
                        return "no sample of " + params[i].getType().getName() + " for "
                                + params[i].getName();
                    }
                    args[i] = sample;
                }
            }
            Object result;
            try {
                if (executable instanceof Constructor<?> constructor) {
                    result = constructor.newInstance(args);
                } else {
                    Method method = (Method) executable;
                    method.setAccessible(true);
                    result = method.invoke(target, args);
                }
            } catch (InvocationTargetException e) {
                Throwable thrown = e.getCause();
                if (thrown instanceof NullPointerException && names.contains(thrown.getMessage())) {
                    return null;
                }
                return "threw " + thrown + " instead of NullPointerException with one of "
                        + names;
            } catch (ReflectiveOperationException e) {
                return "could not be called: " + e;
            }
            samples.own(result);
            if (result instanceof CompletableFuture<?> future
                    && future.isCompletedExceptionally()) {
                return "returned a failed future instead of throwing: " + future;
            }
            return "accepted null (returned " + result + ")";
        }

        String summary() {
            return String.format("public API null walk: %d classes walked, %d methods/constructors "
                    + "checked, %d parameters checked, %d allowlisted, %d not walked; exempt as "
                    + "groups: %s", classes, executables, parameters, allowlisted, notWalked,
                    exempt);
        }

        Set<String> unused() {
            Set<String> unused = new LinkedHashSet<>(NULLABLE.keySet());
            unused.addAll(NOT_WALKED.keySet());
            unused.removeAll(used);
            return unused;
        }

        /** The entry for parameter {@code index}, on its type or a supertype declaring it. */
        private String lookup(Map<String, String> list, Class<?> type, Executable executable,
                int index) {
            for (Map.Entry<Class<?>, Executable> owner : declarations(type, executable)
                    .entrySet()) {
                String key = key(owner.getKey(), owner.getValue(),
                        owner.getValue().getParameters()[index]);
                if (list.containsKey(key)) {
                    used.add(key);
                    return list.get(key);
                }
            }
            return null;
        }
    }

    private static String key(Class<?> type, Executable executable, Parameter param) {
        return shortName(type) + "#" + name(type, executable) + "(" + param.getName() + ")";
    }

    private static String name(Class<?> type, Executable executable) {
        return executable instanceof Constructor<?> ? type.getSimpleName() : executable.getName();
    }

    /** {@code executable}, and its declarations in the supertypes of {@code type}. */
    private static Map<Class<?>, Executable> declarations(Class<?> type, Executable executable) {
        Map<Class<?>, Executable> owners = new LinkedHashMap<>();
        owners.put(type, executable);
        if (executable instanceof Method method && !Modifier.isStatic(method.getModifiers())) {
            for (Class<?> supertype : supertypes(type)) {
                try {
                    owners.put(supertype, supertype.getDeclaredMethod(method.getName(),
                            method.getParameterTypes()));
                } catch (NoSuchMethodException e) {
                    // not declared there
                }
            }
        }
        return owners;
    }

    private static Set<Class<?>> supertypes(Class<?> type) {
        Set<Class<?>> all = new LinkedHashSet<>();
        List<Class<?>> pending = new ArrayList<>();
        pending.add(type);
        while (!pending.isEmpty()) {
            Class<?> next = pending.remove(0);
            if (next.getSuperclass() != null && all.add(next.getSuperclass())) {
                pending.add(next.getSuperclass());
            }
            for (Class<?> i : next.getInterfaces()) {
                if (all.add(i)) {
                    pending.add(i);
                }
            }
        }
        return all;
    }

    /**
     * The public constructors and methods a user can call on {@code type}: its own, and the
     * public ones it inherits from non-public classes of the library (which it exposes).
     */
    private static List<Executable> executables(Class<?> type) {
        List<Executable> all = new ArrayList<>();
        boolean instantiable = !type.isInterface() && !type.isEnum()
                && !Modifier.isAbstract(type.getModifiers());
        if (instantiable) {
            all.addAll(Arrays.asList(type.getConstructors()));
        }
        for (Class<?> c = type; c != null && c.getName().startsWith(ROOT + ".");
                c = c.getSuperclass()) {
            if (c != type && Modifier.isPublic(c.getModifiers())) {
                break;
            }
            for (Method method : c.getDeclaredMethods()) {
                if (Modifier.isPublic(method.getModifiers()) && !method.isSynthetic()
                        && !method.isBridge() && (c == type || !overridden(type, method))) {
                    all.add(method);
                }
            }
        }
        all.removeIf(e -> Arrays.stream(e.getParameterTypes()).allMatch(Class::isPrimitive));
        all.sort(Comparator.comparing(Executable::toGenericString));
        return all;
    }

    private static boolean overridden(Class<?> type, Method method) {
        for (Method own : type.getDeclaredMethods()) {
            if (!own.isSynthetic() && own.getName().equals(method.getName())
                    && Arrays.equals(own.getParameterTypes(), method.getParameterTypes())) {
                return true;
            }
        }
        return false;
    }

    /** The group exemption {@code executable} falls under, or null. */
    private static String exemptGroup(Class<?> type, Executable executable) {
        if (executable instanceof Constructor<?>) {
            return Throwable.class.isAssignableFrom(type) ? "exception constructors" : null;
        }
        Method method = (Method) executable;
        if (method.getName().equals("equals")
                && Arrays.equals(method.getParameterTypes(), new Class<?>[] {Object.class})) {
            return "equals";
        }
        if (type.isEnum() && method.getName().equals("valueOf")
                && Modifier.isStatic(method.getModifiers())) {
            return "enum valueOf";
        }
        for (Class<?> supertype : supertypes(type)) {
            if (supertype.getName().startsWith(ROOT + ".internal.")) {
                try {
                    supertype.getDeclaredMethod(method.getName(), method.getParameterTypes());
                    return "internal-interface methods";
                } catch (NoSuchMethodException e) {
                    // not an internal interface's method
                }
            }
        }
        return null;
    }
}
