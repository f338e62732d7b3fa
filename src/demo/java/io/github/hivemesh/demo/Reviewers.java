package io.github.hivemesh.demo;

import io.github.hivemesh.agent.AgentDefinition;
import io.github.hivemesh.agent.AgentMessageHandler;
import io.github.hivemesh.agent.AgentSession;
import io.github.hivemesh.task.Task;
import io.github.hivemesh.task.TaskContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The demo's agents. Each "thinks" for a while per file, standing in for an LLM call (the
 * only simulated part); what they find is real: they read the files.
 *
 * <ul>
 *   <li>lead reviewer ({@code pr-review}): splits the change into one {@code file-review}
 *       per file, routed by language, and collects the findings, which every reviewer sends
 *       it as a message ({@code sendToPeer}) the moment it notices one;</li>
 *   <li>Java reviewers ({@code file-review}, {@code java}): long lines, TODOs, public types
 *       without Javadoc; they delegate a {@code concurrency-audit} for files that use locks,
 *       volatile or atomics;</li>
 *   <li>docs reviewer ({@code file-review}, {@code markdown}): long lines, empty links;</li>
 *   <li>auditor ({@code concurrency-audit}): counts the concurrency constructs and flags
 *       sleeping and {@code synchronized} blocks. Its session is asynchronous, the way an async
 *       LLM client's is: it returns a {@code CompletableFuture} at once, and no worker thread
 *       waits while the "model" thinks; the task ends when the future completes.</li>
 * </ul>
 * Sessions never block on their subtasks. Messages and the asynchronous audits are work: the
 * swarm is not finished while a finding is on its way to the lead or an audit is pending, so
 * every finding sent is in the report when completion is detected.
 */
final class Reviewers {

    private final Duration thinkPer100Lines;
    private final Queue<Finding> findings;
    private final CompletionClock clock;
    private final AtomicLong findingsSent = new AtomicLong();

    Reviewers(Duration thinkPer100Lines, Queue<Finding> findings, CompletionClock clock) {
        this.thinkPer100Lines = thinkPer100Lines;
        this.findings = findings;
        this.clock = clock;
    }

    /** Findings the reviewers have sent to the lead so far. */
    long findingsSent() {
        return findingsSent.get();
    }

    List<AgentDefinition> agents() {
        AgentMessageHandler collect = (message, context) -> {
            if (message.payload() instanceof Finding finding) {
                findings.add(finding);
            }
        };
        return List.of(
                define("lead-reviewer", this::lead, "pr-review").messageHandler(collect).build(),
                define("java-reviewer-1", this::reviewJava, "file-review", "java").build(),
                define("java-reviewer-2", this::reviewJava, "file-review", "java").build(),
                define("docs-reviewer", this::reviewDocs, "file-review", "markdown").build(),
                // an asynchronous session marks the clock itself, when its work really ends
                AgentDefinition.builder().id("auditor").capabilities("concurrency-audit")
                        .maxConcurrentTasks(2).session(this::audit).build());
    }

    private AgentDefinition.Builder define(String id, AgentSession session, String... caps) {
        return AgentDefinition.builder().id(id).capabilities(caps).maxConcurrentTasks(2)
                .session(ctx -> {
                    try {
                        return session.execute(ctx);
                    } finally {
                        clock.sessionReturned();
                    }
                });
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

    /**
     * An asynchronous session: the "model call" completes later on the client's own timer
     * thread, and the task ends then, with the number of constructs as its output.
     */
    private Object audit(TaskContext ctx) {
        SourceFile file = (SourceFile) ctx.task().payload();
        return CompletableFuture.supplyAsync(() -> {
            try {
                return auditNow(file, ctx);
            } finally {
                clock.sessionReturned();
            }
        }, CompletableFuture.delayedExecutor(thinkNanos(file), TimeUnit.NANOSECONDS));
    }

    private int auditNow(SourceFile file, TaskContext ctx) {
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

    /** Sends the lead one finding; the message is work until the lead has handled it. */
    private int report(SourceFile file, int index, String kind, TaskContext ctx) {
        findingsSent.incrementAndGet();
        ctx.sendToPeer("lead-reviewer", "finding",
                new Finding(file.path(), index + 1, kind, ctx.agentId()));
        return 1;
    }

    /** Stands in for the model's latency: proportional to the file's length. */
    private void think(SourceFile file) throws InterruptedException {
        TimeUnit.NANOSECONDS.sleep(thinkNanos(file));
    }

    private long thinkNanos(SourceFile file) {
        long nanos = thinkPer100Lines.toNanos() * Math.max(1, file.lines().size()) / 100;
        return Math.min(nanos, TimeUnit.MILLISECONDS.toNanos(200));
    }
}
