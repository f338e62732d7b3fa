package io.github.hivemesh.demo;

import io.github.hivemesh.CoordinatorFactory;
import io.github.hivemesh.CoordinatorMetrics;
import io.github.hivemesh.ICoordinator;
import io.github.hivemesh.SwarmConfig;
import io.github.hivemesh.Topology;
import io.github.hivemesh.mesh.IMeshCoordinator;
import io.github.hivemesh.mesh.PeerAgent;
import io.github.hivemesh.task.Task;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The main job: a code-review swarm on the embedded, in-process default. A lead reviewer
 * splits a change set (this repository's own sources and docs, when run from the checkout)
 * into per-file reviews that reviewers pick up by capability; reviewers delegate concurrency
 * audits; nobody waits for anybody. The swarm reports exactly when all of it has ended.
 *
 * <pre>
 * mvn -q test-compile exec:java                              # defaults
 * mvn -q test-compile exec:java -Dexec.args="--files 80 --think-ms 5 --root ."
 * </pre>
 */
public final class CodeReviewDemo {

    /** What to review and how slow the simulated model is. */
    record Options(Path root, int files, Duration thinkPer100Lines, boolean live) {
    }

    /** What the run produced. */
    record Report(Topology topology, int files, CoordinatorMetrics metrics, boolean completed,
            Map<String, Long> tasksByAgent, List<Finding> findings, Duration elapsed) {
    }

    private CodeReviewDemo() {
    }

    /** Runs the demo with options from the command line. */
    public static void main(String[] args) {
        Options options = new Options(Path.of(value(args, "--root", ".")),
                Integer.parseInt(value(args, "--files", "60")),
                Duration.ofMillis(Long.parseLong(value(args, "--think-ms", "60"))),
                System.console() != null);
        Report report = run(options, System.out);
        System.exit(report.completed() ? 0 : 1);
    }

    static Report run(Options options, PrintStream out) {
        List<SourceFile> files = SourceFile.scan(options.root(), options.files());
        if (files.isEmpty()) {
            files = SourceFile.sample();
        }
        ConcurrentLinkedQueue<Finding> findings = new ConcurrentLinkedQueue<>();
        Reviewers reviewers = new Reviewers(options.thinkPer100Lines(), findings);
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
            boolean completed = swarm.waitForCompletion(Duration.ofMinutes(5)).join();

            ticker.shutdownNow();
            progress(swarm, started, options.live(), out);
            Report report = new Report(swarm.topology(), files.size(), swarm.getMetrics(),
                    completed, tasksByAgent(swarm), new ArrayList<>(findings),
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
            out.printf("Completion          detected %.3f ms after the last task returned%n",
                    m.lastCompletionDetection().toNanos() / 1e6);
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
        out.printf("Findings            %d in %d files%n", report.findings().size(),
                report.files());
        kinds.forEach((kind, count) -> out.printf("  %4d  %s%n", count, kind));
        report.findings().stream().limit(5).forEach(f -> out.println("  e.g. " + f));
        out.printf("Wall time           %.2f s%n", report.elapsed().toNanos() / 1e9);
    }

    private static String value(String[] args, String name, String fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }
}
