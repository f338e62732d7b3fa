package io.github.hivemesh.demo;

import io.github.hivemesh.agent.AgentDefinition;
import io.github.hivemesh.agent.AgentSession;
import io.github.hivemesh.task.Task;
import io.github.hivemesh.task.TaskContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.TimeUnit;

/**
 * The demo's agents. Each "thinks" for a while per file, standing in for an LLM call (the
 * only simulated part); what they find is real: they read the files.
 *
 * <ul>
 *   <li>lead reviewer ({@code pr-review}): splits the change into one {@code file-review}
 *       per file, routed by language;</li>
 *   <li>Java reviewers ({@code file-review}, {@code java}): long lines, TODOs, public types
 *       without Javadoc; they delegate a {@code concurrency-audit} for files that use locks,
 *       volatile or atomics;</li>
 *   <li>docs reviewer ({@code file-review}, {@code markdown}): long lines, empty links;</li>
 *   <li>auditor ({@code concurrency-audit}): counts the concurrency constructs and flags
 *       sleeping and {@code synchronized} blocks.</li>
 * </ul>
 * Sessions never block on their subtasks: findings flow into a shared queue.
 */
final class Reviewers {

    private final Duration thinkPer100Lines;
    private final Queue<Finding> findings;
    private final CompletionClock clock;

    Reviewers(Duration thinkPer100Lines, Queue<Finding> findings, CompletionClock clock) {
        this.thinkPer100Lines = thinkPer100Lines;
        this.findings = findings;
        this.clock = clock;
    }

    List<AgentDefinition> agents() {
        return List.of(
                define("lead-reviewer", this::lead, "pr-review"),
                define("java-reviewer-1", this::reviewJava, "file-review", "java"),
                define("java-reviewer-2", this::reviewJava, "file-review", "java"),
                define("docs-reviewer", this::reviewDocs, "file-review", "markdown"),
                define("auditor", this::audit, "concurrency-audit"));
    }

    private AgentDefinition define(String id, AgentSession session, String... caps) {
        return AgentDefinition.builder().id(id).capabilities(caps).maxConcurrentTasks(2)
                .session(ctx -> {
                    try {
                        return session.execute(ctx);
                    } finally {
                        clock.sessionReturned();
                    }
                }).build();
    }

    @SuppressWarnings("unchecked")
    private Object lead(TaskContext ctx) {
        List<SourceFile> files = (List<SourceFile>) ctx.task().payload();
        for (SourceFile file : files) {
            ctx.delegate(Task.builder().type("file-review").description(file.path())
                    .requiredCapabilities("file-review", file.language())
                    .priority(file.language().equals("java") ? 6 : 4)
                    .payload(file).build());
        }
        return files.size();
    }

    private Object reviewJava(TaskContext ctx) throws InterruptedException {
        SourceFile file = (SourceFile) ctx.task().payload();
        think(file);
        int found = 0;
        boolean concurrent = false;
        List<String> lines = file.lines();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.length() > 100) {
                found += report(file, i, "line longer than 100 characters", ctx);
            }
            if (line.contains("TODO") || line.contains("FIXME")) {
                found += report(file, i, "unresolved TODO", ctx);
            }
            if (line.matches("\\s*public (final |abstract )?(class|interface|record|enum) .*")
                    && (i == 0 || !lines.get(i - 1).trim().endsWith("*/"))
                    && !(i > 0 && lines.get(i - 1).trim().startsWith("@"))) {
                found += report(file, i, "public type without Javadoc", ctx);
            }
            concurrent |= line.contains("volatile") || line.contains("synchronized")
                    || line.contains("Atomic") || line.contains("VarHandle");
        }
        if (concurrent) {
            ctx.delegate(Task.builder().type("concurrency-audit").description(file.path())
                    .requiredCapabilities("concurrency-audit").priority(8).payload(file).build());
        }
        ctx.recordTokens(50L * lines.size());
        return found;
    }

    private Object reviewDocs(TaskContext ctx) throws InterruptedException {
        SourceFile file = (SourceFile) ctx.task().payload();
        think(file);
        int found = 0;
        for (int i = 0; i < file.lines().size(); i++) {
            String line = file.lines().get(i);
            if (line.length() > 120 && !line.startsWith("|")) {
                found += report(file, i, "prose line longer than 120 characters", ctx);
            }
            if (line.contains("]()")) {
                found += report(file, i, "empty link", ctx);
            }
        }
        ctx.recordTokens(30L * file.lines().size());
        return found;
    }

    private Object audit(TaskContext ctx) throws InterruptedException {
        SourceFile file = (SourceFile) ctx.task().payload();
        think(file);
        List<String> constructs = new ArrayList<>();
        for (int i = 0; i < file.lines().size(); i++) {
            String line = file.lines().get(i);
            if (line.contains("synchronized (") || line.contains("synchronized(")) {
                report(file, i, "synchronized block: check what it guards", ctx);
            }
            if (line.contains("Thread.sleep")) {
                report(file, i, "sleep in concurrent code", ctx);
            }
            if (line.contains("volatile") || line.contains("Atomic")
                    || line.contains("VarHandle")) {
                constructs.add(line.trim());
            }
        }
        ctx.recordTokens(80L * file.lines().size());
        return constructs.size();
    }

    private int report(SourceFile file, int index, String kind, TaskContext ctx) {
        findings.add(new Finding(file.path(), index + 1, kind, ctx.agentId()));
        return 1;
    }

    /** Stands in for the model's latency: proportional to the file's length. */
    private void think(SourceFile file) throws InterruptedException {
        long nanos = thinkPer100Lines.toNanos() * Math.max(1, file.lines().size()) / 100;
        TimeUnit.NANOSECONDS.sleep(Math.min(nanos, TimeUnit.MILLISECONDS.toNanos(200)));
    }
}
