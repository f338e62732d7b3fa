package io.github.hivemesh.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A main class of the test class path run in a new JVM, for multi-process tests: lines to its
 * stdin, lines from its stdout, and the signals a real failure sends — {@link #kill()}
 * ({@code SIGKILL}: {@link Process#destroyForcibly()} on Linux; no shutdown hook runs, the
 * kernel closes its sockets), {@link #suspend()} / {@link #resume()} ({@code SIGSTOP} /
 * {@code SIGCONT}: a hang, the process frozen with its sockets open).
 *
 * <pre>{@code
 * try (ChildJvm child = ChildJvm.builder(MyMain.class).systemProperty("k", "v").start()) {
 *     child.awaitLine(l -> l.startsWith("READY"), Duration.ofSeconds(20));
 *     child.send("WORK 10");
 *     child.kill();
 * }
 * }</pre>
 *
 * <p>Every wait is bounded. {@link #close()} always reaps the child (continues it if stopped,
 * kills it, waits for it); a JVM shutdown hook kills any child a test forgot, and a child's
 * main should exit when its stdin closes, so none outlives the test JVM. Thread-safe.
 */
public final class ChildJvm implements AutoCloseable {

    private static final Set<ChildJvm> LIVE = ConcurrentHashMap.newKeySet();
    private static final int STDERR_LINES_KEPT = 200;

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (ChildJvm child : LIVE) {
                child.process.destroyForcibly();
            }
        }, "child-jvm-reaper"));
    }

    private final String name;
    private final Process process;
    private final Writer stdin;
    private final List<String> stdout = new ArrayList<>();
    private final Deque<String> stderr = new ArrayDeque<>();
    private final Thread outReader;
    private final Thread errReader;
    private int consumed;

    private ChildJvm(String name, Process process) {
        this.name = name;
        this.process = process;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        this.outReader = drain(process.getInputStream(), "out", line -> {
            synchronized (stdout) {
                stdout.add(line);
                stdout.notifyAll();
            }
        });
        this.errReader = drain(process.getErrorStream(), "err", line -> {
            synchronized (stderr) {
                stderr.addLast(line);
                if (stderr.size() > STDERR_LINES_KEPT) {
                    stderr.removeFirst();
                }
            }
        });
    }

    /** A builder for a JVM running {@code mainClass}'s {@code main}. */
    public static Builder builder(Class<?> mainClass) {
        return new Builder(mainClass.getName());
    }

    /**
     * A builder for a JVM running a modular application, with no class path:
     * {@code java -p modulePath -m module/mainClass}.
     *
     * @param modulePath the module path, entries joined by {@link java.io.File#pathSeparator}
     * @param module     the main module, which holds {@code mainClass}
     * @param mainClass  the binary name of the class whose {@code main} runs
     */
    public static Builder modular(String modulePath, String module, String mainClass) {
        Builder builder = new Builder(Objects.requireNonNull(mainClass, "mainClass"));
        builder.modulePath = Objects.requireNonNull(modulePath, "modulePath");
        builder.module = Objects.requireNonNull(module, "module");
        return builder;
    }

    /** Builds and starts a {@link ChildJvm}. */
    public static final class Builder {
        private final String mainClass;
        private String classPath = System.getProperty("java.class.path");
        private String modulePath;
        private String module;
        private Path javaHome = Path.of(System.getProperty("java.home"));
        private final Map<String, String> properties = new LinkedHashMap<>();
        private final List<String> jvmArgs = new ArrayList<>(List.of("-Xmx256m",
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto"));
        private final List<String> args = new ArrayList<>();
        private String name;

        private Builder(String mainClass) {
            this.mainClass = mainClass;
            this.name = mainClass.substring(mainClass.lastIndexOf('.') + 1);
        }

        /** The class path (default: this JVM's; none for a {@link #modular} one). */
        public Builder classPath(String path) {
            if (module != null) {
                throw new IllegalStateException("a modular JVM runs from its module path only");
            }
            this.classPath = Objects.requireNonNull(path, "path");
            return this;
        }

        /** The JDK to run (default: this JVM's). */
        public Builder javaHome(Path home) {
            this.javaHome = Objects.requireNonNull(home, "home");
            return this;
        }

        /** A {@code -Dkey=value}. */
        public Builder systemProperty(String key, String value) {
            properties.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value,
                    "value"));
            return this;
        }

        /** An extra JVM option. */
        public Builder jvmArg(String arg) {
            jvmArgs.add(Objects.requireNonNull(arg, "arg"));
            return this;
        }

        /** An argument of {@code main}. */
        public Builder arg(String arg) {
            args.add(Objects.requireNonNull(arg, "arg"));
            return this;
        }

        /** A name for messages and thread names. */
        public Builder name(String childName) {
            this.name = Objects.requireNonNull(childName, "childName");
            return this;
        }

        /** The command line this builder runs. */
        public List<String> command() {
            List<String> command = new ArrayList<>();
            command.add(javaHome.resolve("bin").resolve("java").toString());
            command.addAll(jvmArgs);
            properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
            if (module == null) {
                command.add("-cp");
                command.add(classPath);
                command.add(mainClass);
            } else {
                command.add("-p");
                command.add(modulePath);
                command.add("-m");
                command.add(module + "/" + mainClass);
            }
            command.addAll(args);
            return command;
        }

        /** Starts the JVM. */
        public ChildJvm start() {
            try {
                ChildJvm child = new ChildJvm(name, new ProcessBuilder(command()).start());
                LIVE.add(child);
                return child;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start " + name, e);
            }
        }
    }

    private Thread drain(InputStream in, String stream, java.util.function.Consumer<String> sink) {
        Thread thread = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(in,
                    StandardCharsets.UTF_8))) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    sink.accept(line);
                }
            } catch (IOException e) {
                // the process is gone: nothing more to read
            }
            synchronized (stdout) {
                stdout.notifyAll();
            }
        }, "child-jvm-" + stream + "-" + name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** The child's pid. */
    public long pid() {
        return process.pid();
    }

    /** Whether it is running (a stopped process is alive). */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** Writes {@code line} and a newline to its stdin. */
    public void send(String line) {
        try {
            stdin.write(line);
            stdin.write('\n');
            stdin.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to " + name + " (exited "
                    + exitCodeOrNull() + ")" + stderrTail(), e);
        }
    }

    /**
     * The next line of its stdout, after those returned before, that matches; lines before it
     * are skipped. Fails after {@code timeout}, or when the child's stdout ends first.
     */
    public String awaitLine(Predicate<String> match, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (stdout) {
            while (true) {
                while (consumed < stdout.size()) {
                    String line = stdout.get(consumed++);
                    if (match.test(line)) {
                        return line;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || !outReader.isAlive()) {
                    throw new AssertionError("no matching line from " + name + " within "
                            + timeout + (outReader.isAlive() ? "" : " (its stdout ended, exit "
                            + exitCodeOrNull() + ")") + "; stdout: " + stdout + stderrTail());
                }
                try {
                    stdout.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted waiting for " + name, e);
                }
            }
        }
    }

    /** Every stdout line so far. */
    public List<String> lines() {
        synchronized (stdout) {
            return List.copyOf(stdout);
        }
    }

    /** The last lines of its stderr, for failure messages. */
    public String stderrTail() {
        synchronized (stderr) {
            return stderr.isEmpty() ? "" : "\nstderr of " + name + ":\n"
                    + String.join("\n", stderr);
        }
    }

    /** {@code SIGKILL}, then waits (bounded) for it to be gone. */
    public void kill() {
        process.destroyForcibly();
        awaitExit(Duration.ofSeconds(10));
    }

    /** {@code SIGSTOP}: the process freezes, its sockets stay open. */
    public void suspend() {
        signal("STOP");
    }

    /** {@code SIGCONT}: a stopped process runs again. */
    public void resume() {
        signal("CONT");
    }

    private void signal(String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid()))
                    .redirectErrorStream(true).start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                kill.destroyForcibly();
                throw new IllegalStateException("kill -" + signal + " " + pid() + " failed: "
                        + new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted signalling " + name, e);
        }
    }

    /** Waits for it to exit; returns its exit code (128 + n for a signal n). */
    public int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(name + " did not exit within " + timeout + stderrTail());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for " + name, e);
        }
        LIVE.remove(this);
        return process.exitValue();
    }

    private Integer exitCodeOrNull() {
        return process.isAlive() ? null : process.exitValue();
    }

    /** Reaps the child: continues it if stopped, kills it, waits; ends the reader threads. */
    @Override
    public void close() {
        if (process.isAlive()) {
            try {
                resume();
            } catch (RuntimeException ignored) {
                // it may have exited meanwhile; SIGKILL below ends it either way
            }
            process.destroyForcibly();
        }
        try {
            process.waitFor(10, TimeUnit.SECONDS);
            outReader.join(5_000);
            errReader.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LIVE.remove(this);
        if (process.isAlive()) {
            throw new IllegalStateException(name + " (pid " + pid() + ") could not be reaped");
        }
    }

    @Override
    public String toString() {
        return "ChildJvm[" + name + ", pid " + pid() + "]";
    }
}
