package io.github.hivemesh.demo;

import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.TokenUsage;
import io.github.hivemesh.agent.AgentDefinition;
import io.github.hivemesh.agent.AgentMessageHandler;
import io.github.hivemesh.agent.AgentSession;
import io.github.hivemesh.task.Task;
import io.github.hivemesh.task.TaskContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

    /** What the model is told; it answers with {@code LINE: finding} lines. */
    static final String MODEL_PROMPT = "You review one file of a code change. Reply with at "
            + "most 3 real problems, one per line, each as LINE: PROBLEM where LINE is the line "
            + "number shown. Reply NONE if there are none. No other text.";
    private static final int MODEL_LINES = 300;
    private static final Pattern MODEL_FINDING = Pattern.compile("^\\s*(\\d{1,6})\\s*:\\s*(.+)$");

    private final Optional<ChatModel> model;
    private final Duration thinkPer100Lines;
    private final Queue<Finding> findings;
    private final CompletionClock clock;
    private final AtomicLong findingsSent = new AtomicLong();

    Reviewers(Optional<ChatModel> model, Duration thinkPer100Lines, Queue<Finding> findings,
            CompletionClock clock) {
        this.model = model;
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
        int found = think(file, ctx);
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
        if (model.isEmpty()) {
            ctx.recordTokens(50L * lines.size());
        }
        return found;
    }

    private Object reviewDocs(TaskContext ctx) throws InterruptedException {
        SourceFile file = (SourceFile) ctx.task().payload();
        int found = think(file, ctx);
        for (int i = 0; i < file.lines().size(); i++) {
            String line = file.lines().get(i);
            if (line.length() > 120 && !line.startsWith("|")) {
                found += report(file, i, "prose line longer than 120 characters", ctx);
            }
            if (line.contains("]()")) {
                found += report(file, i, "empty link", ctx);
            }
        }
        if (model.isEmpty()) {
            ctx.recordTokens(30L * file.lines().size());
        }
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

    /**
     * Asks the model to review the file and sends what it found, or, without a model, stands
     * in for its latency (proportional to the file's length) and finds nothing.
     *
     * @return the findings sent
     */
    private int think(SourceFile file, TaskContext ctx) throws InterruptedException {
        if (model.isEmpty()) {
            TimeUnit.NANOSECONDS.sleep(thinkNanos(file));
            return 0;
        }
        StringBuilder numbered = new StringBuilder(file.path()).append('\n');
        List<String> lines = file.lines();
        for (int i = 0; i < Math.min(lines.size(), MODEL_LINES); i++) {
            numbered.append(i + 1).append(": ").append(lines.get(i)).append('\n');
        }
        ChatResponse response = model.get().chat(ChatRequest.builder().messages(
                SystemMessage.from(MODEL_PROMPT), UserMessage.from(numbered.toString())).build());
        TokenUsage usage = response.tokenUsage();
        if (usage != null && usage.inputTokenCount() != null
                && usage.outputTokenCount() != null) {
            ctx.recordTokens(usage.inputTokenCount(), usage.outputTokenCount());
        }
        int found = 0;
        String text = response.aiMessage().text();
        for (String line : text == null ? List.<String>of() : text.lines().toList()) {
            Matcher finding = MODEL_FINDING.matcher(line);
            if (finding.matches() && found < 3) {
                // a line number the model made up still names a line of the file
                int index = Math.max(1, Math.min(lines.size(),
                        Integer.parseInt(finding.group(1)))) - 1;
                found += report(file, index, "model: " + finding.group(2).trim(), ctx);
            }
        }
        return found;
    }

    private long thinkNanos(SourceFile file) {
        long nanos = thinkPer100Lines.toNanos() * Math.max(1, file.lines().size()) / 100;
        return Math.min(nanos, TimeUnit.MILLISECONDS.toNanos(200));
    }
}
