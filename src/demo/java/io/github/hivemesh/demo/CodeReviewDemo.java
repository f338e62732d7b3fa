package io.github.hivemesh.demo;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import io.github.hivemesh.CoordinatorFactory;
import io.github.hivemesh.CoordinatorMetrics;
import io.github.hivemesh.ICoordinator;
import io.github.hivemesh.SwarmConfig;
import io.github.hivemesh.Topology;
import io.github.hivemesh.mesh.IMeshCoordinator;
import io.github.hivemesh.mesh.PeerAgent;
import io.github.hivemesh.task.Task;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The main job: a code-review swarm on the embedded, in-process default. A lead reviewer
 * splits a change set (this repository's own sources and docs, when run from the checkout)
 * into per-file reviews that reviewers pick up by capability; reviewers delegate concurrency
 * audits, which run as asynchronous sessions, and send each finding to the lead as a message;
 * nobody waits for anybody. The swarm reports exactly when all of it has ended — the last
 * finding handled included.
 *
 * <pre>
 * mvn -q test-compile exec:java                              # defaults
 * mvn -q test-compile exec:java -Dexec.args="--files 80 --think-ms 5 --root ."
 * mvn -q test-compile exec:java -Dexec.args="--help"
 * </pre>
 *
 * <p>{@link #run(String[], PrintStream, PrintStream)} is the whole program and returns the exit
 * status; {@link #main} only hands it to {@link System#exit} when it is not 0. Under
 * {@code exec:java} that ends Maven's JVM with the status and nothing more printed, where an
 * exception would have Maven print "An exception occurred while executing the Java class".
 */
public final class CodeReviewDemo {

    /** Exit status: completion was detected. */
    static final int OK = 0;
    /** Exit status: completion was not detected before the timeout. */
    static final int NOT_COMPLETED = 1;
    /** Exit status: a bad option, or nothing to review. */
    static final int USAGE = 2;

    /** What the run produced. */
    record Report(Topology topology, int files, CoordinatorMetrics metrics, boolean completed,
            Optional<Duration> detection, Map<String, Long> tasksByAgent,
            List<Finding> findings, long findingsSent, Duration elapsed) {
    }

    private CodeReviewDemo() {
    }

    /** Runs the demo with options from the command line; see {@link DemoOptions#USAGE}. */
    public static void main(String[] args) {
        int status = run(args, System.out, System.err);
        if (status != OK) {
            System.exit(status);
        }
    }

    /**
     * The program: parses {@code args}, prints the usage, one line of error, or the review and
     * its report, and returns the exit status ({@link #OK}, {@link #NOT_COMPLETED},
     * {@link #USAGE}).
     */
    static int run(String[] args, PrintStream out, PrintStream err) {
        DemoOptions options;
        try {
            options = DemoOptions.parse(args, System.console() != null);
        } catch (DemoOptions.BadOptionException e) {
            err.println("code-review demo: " + e.getMessage() + " (--help lists the options)");
            return USAGE;
        }
        if (options.help()) {
            out.print(DemoOptions.USAGE);
            return OK;
        }
        List<SourceFile> files = options.sample() ? SourceFile.sample()
                : SourceFile.scan(options.root(), options.files());
        if (files.isEmpty()) {
            err.println("code-review demo: no .java files under " + options.root()
                    .resolve("src/main/java") + " and no .md files under "
                    + options.root().resolve("docs") + " (--sample reviews a built-in "
                    + "example)");
            return USAGE;
        }
        out.println(options.model().map(name -> "Reviewers ask the model " + name + " at "
                + options.modelUrl() + " (OpenAI-compatible; key from OPENAI_API_KEY)")
                .orElse("Reviewers are SIMULATED: no model configured (--model NAME asks an "
                        + "OpenAI-compatible endpoint)"));
        if (options.sample()) {
            out.printf("Reviewing the BUILT-IN SAMPLE (--sample): %d small files held in memory, "
                    + "not on disk: %s%n", files.size(), files.stream().map(SourceFile::path)
                    .collect(Collectors.joining(", ")));
        } else {
            out.printf("Reviewing %d files under %s (src/main/java and docs); finding paths are "
                    + "relative to it%n", files.size(),
                    options.root().toAbsolutePath().normalize());
        }
        Report report = review(files, options, out);
        return report.completed() ? OK : NOT_COMPLETED;
    }

    static Report review(List<SourceFile> files, DemoOptions options, PrintStream out) {
        return review(files, options, options.model().map(name -> (ChatModel) OpenAiChatModel
                .builder().baseUrl(options.modelUrl()).modelName(name)
                .apiKey(Optional.ofNullable(System.getenv("OPENAI_API_KEY")).orElse("none"))
                .timeout(Duration.ofMinutes(2)).build()), out);
    }

    /** Reviews with {@code model} if present, else with simulated reviewers. */
    static Report review(List<SourceFile> files, DemoOptions options, Optional<ChatModel> model,
            PrintStream out) {
        ConcurrentLinkedQueue<Finding> findings = new ConcurrentLinkedQueue<>();
        CompletionClock clock = new CompletionClock();
        Reviewers reviewers = new Reviewers(model, options.thinkPer100Lines(), findings, clock);
        long started = System.nanoTime();
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "demo-progress");
            thread.setDaemon(true);
            return thread;
        });
        try (ICoordinator swarm = CoordinatorFactory.createWithTopology(SwarmConfig.builder()
                .topology(Topology.AUTO).maxAgents(reviewers.agents().size()).build())) {
            swarm.initialize().join();
            swarm.spawnAgents(reviewers.agents()).join();
            out.printf("HiveMesh code review: %d files, %d agents, topology %s (chosen by AUTO)%n",
                    files.size(), swarm.agents().size(), swarm.topology());
            ticker.scheduleAtFixedRate(() -> progress(swarm, started, options.live(), out),
                    250, 250, TimeUnit.MILLISECONDS);

            swarm.submitTask(Task.builder().type("pr-review").requiredCapabilities("pr-review")
                    .priority(9).payload(files).description("review the change set").build());
            boolean completed = swarm.waitForCompletion(Duration.ofMinutes(5))
                    .whenComplete((done, failure) -> clock.detected()).join();

            ticker.shutdownNow();
            progress(swarm, started, options.live(), out);
            Report report = new Report(swarm.topology(), files.size(), swarm.getMetrics(),
                    completed, completed ? clock.sinceLastReturn() : Optional.empty(),
                    tasksByAgent(swarm), new ArrayList<>(findings), reviewers.findingsSent(),
                    Duration.ofNanos(System.nanoTime() - started));
            print(report, out);
            return report;
        } finally {
            ticker.shutdownNow();
        }
    }

    private static void progress(ICoordinator swarm, long started, boolean live,
            PrintStream out) {
        CoordinatorMetrics m = swarm.getMetrics();
        String loads = "";
        if (swarm instanceof IMeshCoordinator mesh) {
            loads = mesh.getActivePeers().stream().sorted((a, b) -> a.id().compareTo(b.id()))
                    .map(p -> p.id() + "=" + p.load()).collect(Collectors.joining(" "));
        }
        String line = String.format("[%5.1fs] tasks %d/%d ended · running %d · queued %d · "
                + "messages %d · load %s", (System.nanoTime() - started) / 1e9,
                m.tasksEnded(), m.tasksSubmitted(), m.tasksRunning(), m.tasksQueued(),
                m.messagesSent(), loads);
        out.print(live ? "\r" + line : line + System.lineSeparator());
        out.flush();
    }

    private static Map<String, Long> tasksByAgent(ICoordinator swarm) {
        Map<String, Long> byAgent = new LinkedHashMap<>();
        if (swarm instanceof IMeshCoordinator mesh) {
            for (PeerAgent peer : mesh.getActivePeers()) {
                byAgent.put(peer.id(), peer.tasksCompleted() + peer.tasksFailed());
            }
        }
        return byAgent;
    }

    private static void print(Report report, PrintStream out) {
        CoordinatorMetrics m = report.metrics();
        out.println();
        out.println("== Report ==");
        out.printf("Topology            %s%n", report.topology());
        out.printf("Tasks               %d submitted, %d completed, %d failed%n",
                m.tasksSubmitted(), m.tasksCompleted(), m.tasksFailed());
        out.printf("Messages            %d through the broker, %d completion signals%n",
                m.messagesSent(), m.signalsSent());
        if (report.completed()) {
            out.printf("Completion          detected %s after the last execute returned (to "
                    + "the waitForCompletion future)%n",
                    report.detection().map(CodeReviewDemo::duration).orElse("?"));
            out.println("                    the benchmark's measure, but one sample in a cold "
                    + "JVM; the benchmark's p99 is over warmed-up rounds");
        } else {
            out.println("Completion          NOT detected before the timeout");
        }
        out.printf("Task latency        p50 %.1f ms, p95 %.1f ms, p99 %.1f ms%n",
                m.taskLatencyP50().toNanos() / 1e6, m.taskLatencyP95().toNanos() / 1e6,
                m.taskLatencyP99().toNanos() / 1e6);
        out.println("Load distribution   " + report.tasksByAgent().entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", ")));
        Map<String, Long> kinds = report.findings().stream()
                .collect(Collectors.groupingBy(Finding::kind, LinkedHashMap::new,
                        Collectors.counting()));
        out.printf("Findings            %d in %d files; the lead had handled %d of the %d "
                + "sent to it as messages when completion was reported%n",
                report.findings().size(), report.files(), report.findings().size(),
                report.findingsSent());
        kinds.forEach((kind, count) -> out.printf("  %4d  %s%n", count, kind));
        report.findings().stream().limit(5).forEach(f -> out.println("  e.g. " + f));
        out.printf("Wall time           %.2f s%n", report.elapsed().toNanos() / 1e9);
    }

    private static String duration(Duration d) {
        long nanos = d.toNanos();
        return nanos < 1_000_000 ? String.format(Locale.ROOT, "%.1f µs", nanos / 1e3)
                : String.format(Locale.ROOT, "%.2f ms", nanos / 1e6);
    }
}
