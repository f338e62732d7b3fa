package io.github.hivemesh.hostile;

import io.github.hivemesh.CoordinatorFactory;
import io.github.hivemesh.CoordinatorMetrics;
import io.github.hivemesh.ICoordinator;
import io.github.hivemesh.SwarmConfig;
import io.github.hivemesh.SwarmSaturatedException;
import io.github.hivemesh.SwarmShutdownException;
import io.github.hivemesh.Topology;
import io.github.hivemesh.agent.AgentDefinition;
import io.github.hivemesh.agent.AgentHandle;
import io.github.hivemesh.agent.AgentSession;
import io.github.hivemesh.agent.IdlePausePolicy;
import io.github.hivemesh.broker.MessageBrokerConfig;
import io.github.hivemesh.hostile.FutureOwnershipContract.Tamper;
import io.github.hivemesh.task.DuplicateTaskException;
import io.github.hivemesh.task.Task;
import io.github.hivemesh.task.TaskContext;
import io.github.hivemesh.task.TaskResult;
import io.github.hivemesh.task.UnknownDependencyException;
import io.github.hivemesh.testing.Threads;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One run of the hostile user ({@link HostileUserPropertyContract}): a swarm configured from a
 * seed, three threads of task operations and one of agent operations, all through the public
 * API, then either a {@code close()} at a seeded moment or the end of the work, and the checks.
 * Not thread-safe itself; the ledgers it keeps are.
 */
final class HostileRun {

    /** How a session ends. */
    enum Outcome { RETURN, EXCEPTION, RUNTIME_EXCEPTION, ASSERTION_ERROR, STACK_OVERFLOW }

    /**
     * What one task's session does, carried as the task's payload: spin, delegate its children,
     * tamper with or cancel one of their futures, send notes to the stable agents, end.
     */
    record Plan(String serial, long spinNanos, Outcome outcome, List<Child> children,
            int tamperChild, Tamper tamper, int cancelChild, int notes, int throwingNote) {
    }

    /** A subtask a plan delegates; {@code dependencies} name earlier siblings. */
    record Child(Plan plan, String taskId, String capability, List<String> dependencies,
            Duration timeout) {
    }

    /** A user message to a stable agent; the handler throws as {@code throwKind} says. */
    record Note(String sender, int seq, int throwKind) {
    }

    /** One task the run submitted or a session delegated. */
    static final class Entry {
        final String serial;
        final String taskId;
        final List<String> dependencies;
        final boolean delegated;
        final boolean timeoutExposed;
        final Plan plan;
        volatile CompletableFuture<TaskResult> future;
        volatile boolean refused;
        volatile boolean tampered;
        volatile boolean cancelExposed;
        /**
         * When a user thread last began and ended cancelling or tampering with the future
         * (nanoTime, 0 for never / not yet): such a call completes the future itself, on the
         * user's thread, and may still be under way when a concurrent {@code close()} returns.
         */
        volatile long userCallBegan;
        volatile long userCallEnded;

        Entry(Plan plan, String taskId, List<String> dependencies, boolean delegated,
                boolean timeoutExposed) {
            this.plan = plan;
            this.serial = plan.serial();
            this.taskId = taskId;
            this.dependencies = dependencies;
            this.delegated = delegated;
            this.timeoutExposed = timeoutExposed;
        }
    }

    /** A sent note and whether the swarm accepted it. */
    record Sent(String target, Note note, CompletableFuture<Void> accepted) {
    }

    /** Capabilities tasks ask for; the last one no agent has. */
    private static final String[] CAPABILITIES = {"t", "t", "t", "u",
        Hostile.sized(Hostile.odd(256), 252, "-cap"), "nobody-has-this"};

    private final Topology topology;
    private final long seed;
    private final int operations;
    private final SplittableRandom random;
    private final Queue<String> violations = new ConcurrentLinkedQueue<>();
    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, AtomicInteger> runs = new ConcurrentHashMap<>();
    private final Set<String> returned = ConcurrentHashMap.newKeySet();
    private final Queue<CompletableFuture<?>> others = new ConcurrentLinkedQueue<>();
    private final Queue<Sent> sent = new ConcurrentLinkedQueue<>();
    private final ConcurrentHashMap<String, Queue<Note>> handled = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Integer> lastSeq = new ConcurrentHashMap<>();
    private final AtomicLong operationsDone = new AtomicLong();
    private final AtomicInteger pauses = new AtomicInteger();

    private SwarmConfig config;
    private ICoordinator swarm;
    private List<String> stable;
    private List<String> churned;
    private final Map<String, AgentDefinition> definitions = new HashMap<>();
    private final Set<String> believedLive = ConcurrentHashMap.newKeySet();

    HostileRun(Topology topology, long seed, int operations) {
        this.topology = topology;
        this.seed = seed;
        this.operations = operations;
        this.random = new SplittableRandom(seed);
    }

    /** Runs, checks, and returns the promises that broke (empty: all held). */
    List<String> execute() throws Exception {
        List<String> threadsBefore = Threads.alive("hivemesh-");
        config = drawConfig();
        swarm = CoordinatorFactory.createWithTopology(config);
        boolean closeEarly = random.nextBoolean();
        long closeAt = random.nextLong(operations);
        ExecutorService users = Executors.newFixedThreadPool(4);
        try {
            swarm.initialize().join();
            drawAgents();
            List<Future<?>> threads = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                SplittableRandom own = random.split();
                int thread = t;
                threads.add(users.submit(() -> taskOperations(thread, own, operations * 2 / 7)));
            }
            SplittableRandom churn = random.split();
            threads.add(users.submit(() -> agentOperations(churn, operations / 7)));
            if (closeEarly) {
                closeMidway(threads, closeAt);
            } else {
                endOfWork(threads);
            }
            swarm.close();
            Hostile.waiting().atMost(Duration.ofSeconds(20)).until(() ->
                    newThreads(threadsBefore).isEmpty());
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            violations.add("library threads alive after close(): " + newThreads(threadsBefore));
        } finally {
            users.shutdownNow();
            swarm.close();
        }
        return List.copyOf(violations);
    }

    private static List<String> newThreads(List<String> before) {
        List<String> now = new ArrayList<>(Threads.alive("hivemesh-"));
        now.removeAll(before);
        return now;
    }

    // ---- configuration and agents ---------------------------------------------------------

    private SwarmConfig drawConfig() {
        SwarmConfig.Builder b = SwarmConfig.builder().topology(topology)
                .maxAgents(topology == Topology.MESH ? random.nextInt(5, 8)
                        : random.nextInt(8, 13))
                .taskRetention(pick(0, 1, 3, 50, 10_000))
                .maxPendingTasks(pick(8, 64, 100_000))
                .maxPendingSubtasks(pick(16, 1_000, 100_000))
                .saturation(random.nextBoolean() ? SwarmConfig.Saturation.BLOCK
                        : SwarmConfig.Saturation.REJECT)
                .checkpointsEnabled(random.nextBoolean())
                .randomSeed(seed);
        switch (random.nextInt(4)) {
            case 0 -> b.swarmId(Hostile.odd(random.nextInt(1, 256)) + "s");
            case 1 -> b.swarmId(Hostile.upper(70));
            default -> { }
        }
        if (random.nextInt(4) == 0) {
            b.defaultTaskTimeout(Duration.ofMillis(random.nextInt(2, 30)));
        }
        if (random.nextBoolean()) {
            long after = random.nextInt(1, 30);
            b.autoPause(true).pauseCheckInterval(Duration.ofMillis(random.nextInt(2, 20)))
                    .idlePausePolicy(() -> IdlePausePolicy.fixed(Duration.ofMillis(after)));
        } else {
            b.autoPause(false);
        }
        if (random.nextInt(3) == 0) {
            b.brokerConfig(MessageBrokerConfig.builder().mailboxCapacity(random.nextInt(8, 128))
                    .build());
        }
        return b.build();
    }

    private int pick(int... values) {
        return values[random.nextInt(values.length)];
    }

    private void drawAgents() {
        List<String> ids = new ArrayList<>(List.of(Hostile.upper(60), Hostile.cjk(24),
                Hostile.lower(180), Hostile.odd(256), "a/../b", " spaced ", "CON", "x"));
        ids.add(Hostile.odd(random.nextInt(1, 257)));
        // shuffled by the seed: which ids are stable changes from run to run
        for (int i = ids.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            String swap = ids.get(i);
            ids.set(i, ids.get(j));
            ids.set(j, swap);
        }
        Set<String> unique = new LinkedHashSet<>(ids);
        ids = new ArrayList<>(unique);
        int room = config.maxAgents();
        stable = List.copyOf(ids.subList(0, 2));
        churned = List.copyOf(ids.subList(2, Math.min(ids.size(), 2 + room)));
        AgentSession session = new HostileSession();
        for (String id : ids) {
            Set<String> caps = new LinkedHashSet<>(List.of("t"));
            if (random.nextInt(3) == 0 || stable.contains(id)) {
                caps.add("u");
            }
            if (random.nextInt(3) == 0 || stable.contains(id)) {
                caps.add(CAPABILITIES[4]);
            }
            AgentDefinition.Builder agent = AgentDefinition.builder().id(id).capabilities(caps)
                    .session(session).maxConcurrentTasks(random.nextInt(1, 5));
            if (stable.contains(id)) {
                handled.put(id, new ConcurrentLinkedQueue<>());
                agent.messageHandler(message -> onNote(id, (Note) message.payload()));
            }
            definitions.put(id, agent.build());
        }
        List<AgentDefinition> first = new ArrayList<>();
        for (String id : stable) {
            first.add(definitions.get(id));
        }
        for (String id : churned.subList(0, Math.min(churned.size(), room - 2 - 1))) {
            if (random.nextBoolean()) {
                first.add(definitions.get(id));
            }
        }
        CompletableFuture<List<AgentHandle>> spawned = call("spawnAgents", () ->
                swarm.spawnAgents(first));
        if (spawned != null && settle(spawned, "the first spawnAgents") != null) {
            first.forEach(d -> believedLive.add(d.id()));
        }
    }

    private void onNote(String target, Note note) throws Exception {
        handled.get(target).add(note);
        String pair = note.sender() + "->" + target;
        Integer before = lastSeq.put(pair, note.seq());
        if (before != null && before >= note.seq()) {
            violations.add("notes from '" + note.sender() + "' to a stable agent out of order: "
                    + before + " then " + note.seq());
        }
        switch (note.throwKind()) {
            case 1 -> throw new Exception("a handler's checked exception");
            case 2 -> throw new AssertionError("a handler's assertion");
            case 3 -> throw new StackOverflowError("a handler's overflow");
            default -> { }
        }
    }

    // ---- the session ----------------------------------------------------------------------

    /** Every agent's session: does what the task's plan says. */
    private final class HostileSession implements AgentSession {

        @Override
        public Object execute(TaskContext ctx) throws Exception {
            Plan plan = (Plan) ctx.task().payload();
            runs.computeIfAbsent(plan.serial(), s -> new AtomicInteger()).incrementAndGet();
            long end = System.nanoTime() + plan.spinNanos();
            while (System.nanoTime() < end && !ctx.isCancelled()) {
                Thread.onSpinWait();
            }
            for (int i = 0; i < plan.children().size(); i++) {
                delegate(ctx, plan, i);
            }
            for (int n = 0; n < plan.notes(); n++) {
                String target = stable.get(n % stable.size());
                Note note = new Note(plan.serial(), n, n == plan.throwingNote() ? 1 + n % 3 : 0);
                try {
                    sent.add(new Sent(target, note, ctx.sendToPeer(target, "note", note)));
                } catch (RuntimeException e) {
                    violations.add("sendToPeer threw: " + Hostile.chain(e));
                }
            }
            switch (plan.outcome()) {
                case EXCEPTION -> throw new Exception("boom-" + plan.serial());
                case RUNTIME_EXCEPTION -> throw new IllegalStateException("boom-" + plan.serial());
                case ASSERTION_ERROR -> throw new AssertionError("boom-" + plan.serial());
                case STACK_OVERFLOW -> throw new StackOverflowError("boom-" + plan.serial());
                default -> {
                    returned.add(plan.serial());
                    return "out-" + plan.serial();
                }
            }
        }

        private void delegate(TaskContext ctx, Plan plan, int index) {
            Child child = plan.children().get(index);
            boolean timed = child.timeout() != null || config.defaultTaskTimeout().isPresent();
            Entry entry = new Entry(child.plan(), child.taskId(), child.dependencies(), true,
                    timed);
            entries.put(entry.serial, entry);
            Task.Builder task = Task.builder().id(child.taskId()).type("sub")
                    .requiredCapabilities(child.capability()).dependencies(child.dependencies())
                    .payload(child.plan());
            if (child.timeout() != null) {
                task.timeout(child.timeout());
            }
            try {
                CompletableFuture<TaskResult> future = ctx.delegate(task.build());
                entry.future = future;
                entry.refused = refusedAtReturn(future);
                if (plan.tamperChild() == index) {
                    entry.tampered = true;
                    plan.tamper().apply(future);
                }
                if (plan.cancelChild() == index) {
                    exposeToCancel(entry);
                    future.cancel(true);
                }
            } catch (IllegalStateException e) {
                entry.refused = true;
                if (!ctx.isCancelled() && !isRefusal(e)) {
                    violations.add("delegate threw while the task ran: " + Hostile.chain(e));
                }
            } catch (RuntimeException e) {
                entry.refused = true;
                if (!isRefusal(e)) {
                    violations.add("delegate threw: " + Hostile.chain(e));
                }
            }
        }

        @Override
        public byte[] checkpoint() {
            return "checkpoint".getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public void onPause() throws Exception {
            if (pauses.incrementAndGet() % 7 == 0) {
                throw new IllegalStateException("a session refusing to pause");
            }
        }

        @Override
        public void onResume(String checkpointId) {
            // nothing to restore: the plan carries everything
        }
    }

    private static boolean isRefusal(Throwable e) {
        return Hostile.hasCause(e, DuplicateTaskException.class)
                || Hostile.hasCause(e, UnknownDependencyException.class)
                || Hostile.hasCause(e, SwarmSaturatedException.class)
                || Hostile.hasCause(e, SwarmShutdownException.class);
    }

    /** Whether a future came back already failed with a refusal: the task was not accepted. */
    private static boolean refusedAtReturn(CompletableFuture<?> future) {
        Throwable failure = Hostile.failureNow(future);
        return failure != null && isRefusal(failure);
    }

    /** A user thread's call that completes an entry's future itself (a cancel, a tamper). */
    private static void userCall(Entry entry, Runnable call) {
        entry.userCallEnded = 0;
        entry.userCallBegan = System.nanoTime();
        try {
            call.run();
        } finally {
            entry.userCallEnded = System.nanoTime();
        }
    }

    /** A cancel reaches the task and its unstarted subtasks. */
    private static void exposeToCancel(Entry entry) {
        entry.cancelExposed = true;
    }

    /**
     * Whether a task whose session returned normally may still have ended FAILED: it timed out,
     * or it or a task above it (whose cancel reaches its unstarted subtasks) was cancelled.
     */
    private boolean exposed(String serial) {
        Entry entry = entries.get(serial);
        if (entry == null || entry.timeoutExposed) {
            return true;
        }
        for (String s = serial; ; s = s.substring(0, s.lastIndexOf('.'))) {
            Entry above = entries.get(s);
            if (above != null && above.cancelExposed) {
                return true;
            }
            if (s.indexOf('.') == s.lastIndexOf('.')) {
                return false;
            }
        }
    }

    // ---- task operations ------------------------------------------------------------------

    private Plan drawPlan(SplittableRandom r, String serial, int depth) {
        int roll = r.nextInt(100);
        Outcome outcome = roll < 75 ? Outcome.RETURN : roll < 83 ? Outcome.EXCEPTION
                : roll < 90 ? Outcome.RUNTIME_EXCEPTION : roll < 95 ? Outcome.ASSERTION_ERROR
                : Outcome.STACK_OVERFLOW;
        List<Child> children = new ArrayList<>();
        int count = depth >= 2 ? 0 : r.nextInt(100) < 30 ? r.nextInt(1, 4) : 0;
        for (int i = 0; i < count; i++) {
            String childSerial = serial + "." + i;
            List<String> dependencies = new ArrayList<>();
            if (i > 0 && r.nextInt(3) == 0) {
                dependencies.add("c" + serial + "." + r.nextInt(i));
            }
            children.add(new Child(drawPlan(r, childSerial, depth + 1), "c" + childSerial,
                    CAPABILITIES[r.nextInt(CAPABILITIES.length - 1)], dependencies,
                    r.nextInt(10) == 0 ? Duration.ofMillis(r.nextInt(1, 10)) : null));
        }
        Tamper[] tampers = Tamper.values();
        return new Plan(serial, r.nextLong(r.nextInt(10) == 0 ? 2_000_000 : 100_000), outcome,
                List.copyOf(children), count > 0 && r.nextInt(4) == 0 ? r.nextInt(count) : -1,
                tampers[r.nextInt(tampers.length)],
                count > 0 && r.nextInt(6) == 0 ? r.nextInt(count) : -1,
                r.nextInt(5) == 0 ? r.nextInt(1, 4) : 0, r.nextInt(4));
    }

    private void taskOperations(int thread, SplittableRandom r, int count) {
        List<Entry> own = new ArrayList<>();
        for (int op = 0; op < count; op++) {
            int roll = r.nextInt(100);
            try {
                if (roll < 55 || own.isEmpty()) {
                    own.add(submit(thread, r, own));
                } else if (roll < 65) {
                    Entry target = own.get(r.nextInt(own.size()));
                    CompletableFuture<TaskResult> future = target.future;
                    if (future != null) {
                        exposeToCancel(target);
                        userCall(target, () -> future.cancel(true));
                    }
                } else if (roll < 75) {
                    Entry target = own.get(r.nextInt(own.size()));
                    Tamper tamper = Tamper.values()[r.nextInt(Tamper.values().length)];
                    CompletableFuture<TaskResult> future = target.future;
                    if (future != null) {
                        target.tampered = true;
                        userCall(target, () -> tamper.apply(future));
                    }
                } else if (roll < 82) {
                    Duration timeout = Duration.ofMillis(r.nextInt(-5, 6));
                    CompletableFuture<Boolean> waiting = call("waitForCompletion(" + timeout
                            + ")", () -> swarm.waitForCompletion(timeout));
                    if (waiting != null) {
                        others.add(waiting);
                    }
                } else {
                    Entry target = own.get(r.nextInt(own.size()));
                    swarm.taskStatus(target.taskId);
                    CoordinatorMetrics metrics = swarm.getMetrics();
                    if (metrics.tasksQueued() < 0 || metrics.tasksRunning() < 0) {
                        violations.add("negative metrics: " + metrics);
                    }
                    swarm.agents();
                }
            } catch (RuntimeException | Error e) {
                violations.add("a task operation threw: " + Hostile.chain(e));
            }
            operationsDone.incrementAndGet();
        }
    }

    private Entry submit(int thread, SplittableRandom r, List<Entry> own) {
        String serial = "T" + thread + "." + own.size();
        Plan plan = drawPlan(r, serial, 0);
        String taskId;
        int idRoll = r.nextInt(100);
        if (idRoll < 4 && !own.isEmpty()) {
            taskId = own.get(r.nextInt(own.size())).taskId;
        } else if (idRoll < 12) {
            taskId = Hostile.sized(Hostile.odd(256), 256 - serial.length() - 1, "") + "~"
                    + serial;
        } else {
            taskId = "task-" + serial;
        }
        List<String> dependencies = new ArrayList<>();
        int deps = own.isEmpty() ? 0 : r.nextInt(100) < 30 ? r.nextInt(1, 3) : 0;
        for (int i = 0; i < deps; i++) {
            dependencies.add(own.get(r.nextInt(own.size())).taskId);
        }
        if (r.nextInt(50) == 0) {
            dependencies.add("never-submitted-" + serial);
        }
        // a task may not depend on itself (the builder refuses it): drop every draw of its id
        dependencies.removeIf(taskId::equals);
        Duration timeout = r.nextInt(10) == 0 ? Duration.ofMillis(r.nextInt(1, 20)) : null;
        Task.Builder task = Task.builder().id(taskId).type("work")
                .requiredCapabilities(CAPABILITIES[r.nextInt(CAPABILITIES.length)])
                .priority(r.nextInt(1, 11)).dependencies(dependencies).payload(plan);
        if (timeout != null) {
            task.timeout(timeout);
        }
        Entry entry = new Entry(plan, taskId, List.copyOf(new LinkedHashSet<>(dependencies)),
                false, timeout != null || config.defaultTaskTimeout().isPresent());
        entries.put(entry.serial, entry);
        Task built = task.build();
        CompletableFuture<TaskResult> future = call("submitTask", () -> swarm.submitTask(built));
        entry.future = future;
        entry.refused = future == null || refusedAtReturn(future);
        return entry;
    }

    /** A call that must not throw; a throw is a broken promise, and returns null. */
    private <T> CompletableFuture<T> call(String what,
            java.util.function.Supplier<CompletableFuture<T>> body) {
        try {
            return body.get();
        } catch (RuntimeException | Error e) {
            violations.add(what + " threw: " + Hostile.chain(e));
            return null;
        }
    }

    // ---- agent operations -----------------------------------------------------------------

    private void agentOperations(SplittableRandom r, int count) {
        for (int op = 0; op < count; op++) {
            int roll = r.nextInt(100);
            String id = churned.get(r.nextInt(churned.size()));
            if (roll < 25) {
                // spawn, or re-spawn an id in use: refused
                boolean live = believedLive.contains(id);
                CompletableFuture<AgentHandle> f = call("spawnAgent", () ->
                        swarm.spawnAgent(definitions.get(id)));
                if (f != null && settle(f, "spawnAgent") != null) {
                    if (live) {
                        violations.add("an id in use was spawned again");
                    }
                    believedLive.add(id);
                }
            } else if (roll < 50) {
                CompletableFuture<Void> f = call("removeAgent", () -> swarm.removeAgent(id));
                if (f != null && settled(f, "removeAgent")) {
                    believedLive.remove(id);
                }
            } else if (roll < 60) {
                spawnBatch(r);
            } else if (roll < 78) {
                String target = pickAny(r);
                others.add(nonNull(call("pauseAgent", () ->
                        swarm.queryController().pauseAgent(target))));
            } else if (roll < 95) {
                String target = pickAny(r);
                String checkpoint = r.nextBoolean() ? null : "cp-" + op;
                others.add(nonNull(call("resumeAgent", () ->
                        swarm.queryController().resumeAgent(target, checkpoint))));
            } else {
                Duration timeout = Duration.ofMillis(r.nextInt(-5, 6));
                others.add(nonNull(call("waitForCompletion", () ->
                        swarm.waitForCompletion(timeout))));
            }
            operationsDone.incrementAndGet();
        }
    }

    private String pickAny(SplittableRandom r) {
        int roll = r.nextInt(10);
        return roll == 0 ? "ghost" : roll < 4 ? stable.get(r.nextInt(stable.size()))
                : churned.get(r.nextInt(churned.size()));
    }

    private static CompletableFuture<?> nonNull(CompletableFuture<?> future) {
        return future == null ? CompletableFuture.completedFuture(null) : future;
    }

    /** A batch of churned ids (maybe one twice, maybe too many): all spawned, or none. */
    private void spawnBatch(SplittableRandom r) {
        List<AgentDefinition> batch = new ArrayList<>();
        int size = r.nextInt(1, 4);
        for (int i = 0; i < size; i++) {
            batch.add(definitions.get(churned.get(r.nextInt(churned.size()))));
        }
        Set<String> before = new HashSet<>(believedLive);
        CompletableFuture<List<AgentHandle>> f = call("spawnAgents", () ->
                swarm.spawnAgents(batch));
        if (f == null) {
            return;
        }
        if (settle(f, "spawnAgents") != null) {
            batch.forEach(d -> believedLive.add(d.id()));
            for (AgentDefinition d : batch) {
                if (before.contains(d.id())) {
                    violations.add("spawnAgents accepted an id in use");
                }
            }
        } else if (swarm.agents().stream().anyMatch(a -> !before.contains(a.id()))) {
            violations.add("a refused spawnAgents batch left agents behind: "
                    + swarm.agents().stream().map(AgentHandle::id)
                            .filter(id -> !before.contains(id)).toList()
                    + " (batch " + batch.stream().map(AgentDefinition::id).toList()
                    + ", refused with " + f.handle((v, e) -> Hostile.chain(e)).join() + ")");
        }
    }

    /** Waits (bounded) for an agent future; its value, or null if it failed. */
    private <T> T settle(CompletableFuture<T> future, String what) {
        return settle(future, what, 10);
    }

    /** Waits (at most {@code seconds}) for a future; its value, or null if it failed. */
    private <T> T settle(CompletableFuture<T> future, String what, int seconds) {
        try {
            return future.get(seconds, TimeUnit.SECONDS);
        } catch (ExecutionException | java.util.concurrent.CancellationException e) {
            return null;
        } catch (TimeoutException e) {
            violations.add(what + " did not complete within " + seconds + " s");
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private boolean settled(CompletableFuture<Void> future, String what) {
        try {
            future.get(10, TimeUnit.SECONDS);
            return true;
        } catch (ExecutionException | java.util.concurrent.CancellationException e) {
            return false;
        } catch (TimeoutException e) {
            violations.add(what + " did not complete within 10 s");
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    // ---- the two endings and their checks -------------------------------------------------

    private void closeMidway(List<Future<?>> threads, long closeAt) throws Exception {
        long bound = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (operationsDone.get() < closeAt && System.nanoTime() < bound
                && !threads.stream().allMatch(Future::isDone)) {
            Thread.onSpinWait();
        }

        swarm.close();
        long closed = System.nanoTime();

        // every future handed out so far is done by now, but for those a user thread was
        // completing itself (cancelling, tampering) when close() returned: that call's own
        // effect; whether they end is checked once the users have stopped
        List<String> pending = pendingFutures(closed);
        if (!pending.isEmpty()) {
            violations.add(pending.size() + " futures pending when close() returned: "
                    + pending.subList(0, Math.min(5, pending.size())));
        }
        join(threads);
        pending = pendingFutures(Long.MIN_VALUE);
        if (!pending.isEmpty()) {
            violations.add(pending.size() + " futures pending after close(), once the users "
                    + "stopped: " + pending.subList(0, Math.min(5, pending.size())));
        }
        checkNoTaskLive("after close()");
        checkRunsAndOutcomes();
    }

    private void endOfWork(List<Future<?>> threads) throws Exception {
        join(threads);
        CompletableFuture<Boolean> quiescent = call("waitForCompletion",
                () -> swarm.waitForCompletion(Duration.ofSeconds(30)));
        if (quiescent == null || !Boolean.TRUE.equals(settle(quiescent, "waitForCompletion",
                40))) {
            violations.add("no completion within 30 s once the users stopped; not ended: "
                    + liveTasks().subList(0, Math.min(5, liveTasks().size())));
            for (Entry e : entries.values()) {
                swarm.taskStatus(e.taskId).filter(st -> !st.state().isTerminal())
                        .ifPresent(st -> violations.add("not ended: '" + st.taskId() + "' "
                                + st.state() + " on " + st.assignedAgent() + ", agents "
                                + swarm.agents().stream().map(h -> h.id() + ":" + h.state())
                                        .toList()));
            }
            return;
        }
        List<String> pending = new ArrayList<>();
        for (Entry entry : entries.values()) {
            if (entry.future != null && !entry.tampered && !entry.future.isDone()) {
                pending.add(entry.taskId);
            }
        }
        if (!pending.isEmpty()) {
            violations.add(pending.size() + " task futures pending when completion was "
                    + "reported: " + pending.subList(0, Math.min(5, pending.size())));
        }
        try {
            Hostile.waiting().atMost(Duration.ofSeconds(10))
                    .until(() -> pendingFutures(Long.MIN_VALUE).isEmpty());
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            violations.add("futures still pending 10 s after completion: "
                    + pendingFutures(Long.MIN_VALUE).subList(0, Math.min(5,
                            pendingFutures(Long.MIN_VALUE).size())));
        }
        checkNoTaskLive("after completion");
        checkRunsAndOutcomes();
        checkMetrics();
        checkDelivery();
    }

    private void join(List<Future<?>> threads) throws Exception {
        for (Future<?> thread : threads) {
            try {
                thread.get(2, TimeUnit.MINUTES);
            } catch (TimeoutException e) {
                violations.add("a user thread did not finish within 2 minutes (blocked in a "
                        + "call?)");
            }
        }
    }

    /**
     * The futures not done, but for those of entries a user call was completing at
     * {@code excusedAt} (nanoTime; {@code Long.MIN_VALUE} excuses none).
     */
    private List<String> pendingFutures(long excusedAt) {
        List<String> pending = new ArrayList<>();
        for (Entry entry : entries.values()) {
            long began = entry.userCallBegan;
            long ended = entry.userCallEnded;
            boolean inUserCall = began != 0 && began - excusedAt < 0
                    && (ended == 0 || ended - excusedAt > 0);
            if (entry.future != null && !entry.future.isDone() && !inUserCall) {
                pending.add((entry.delegated ? "delegated " : "submitted ") + entry.taskId);
            }
        }
        for (CompletableFuture<?> other : others) {
            if (!other.isDone()) {
                pending.add("an agent or wait future");
            }
        }
        return pending;
    }

    private List<String> liveTasks() {
        List<String> ids = new ArrayList<>();
        for (Entry entry : entries.values()) {
            ids.add(entry.taskId);
        }
        return Hostile.live(swarm, ids);
    }

    private void checkNoTaskLive(String when) {
        List<String> live = liveTasks();
        if (!live.isEmpty()) {
            violations.add(live.size() + " tasks not ended " + when + ": "
                    + live.subList(0, Math.min(5, live.size())));
        }
    }

    /**
     * Each task ran at most once; a future completed normally carries its own task's output;
     * a dependent that ran had every (unambiguous) dependency return normally.
     */
    private void checkRunsAndOutcomes() {
        Map<String, List<Entry>> byId = new HashMap<>();
        for (Entry entry : entries.values()) {
            if (!entry.refused) {
                byId.computeIfAbsent(entry.taskId, id -> new ArrayList<>()).add(entry);
            }
        }
        for (Map.Entry<String, AtomicInteger> run : runs.entrySet()) {
            if (run.getValue().get() > 1) {
                violations.add("task of plan " + run.getKey() + " ran " + run.getValue().get()
                        + " times");
            }
        }
        for (Entry entry : entries.values()) {
            CompletableFuture<TaskResult> future = entry.future;
            boolean ran = runs.containsKey(entry.serial);
            if (future != null && !entry.tampered && future.isDone()
                    && !future.isCompletedExceptionally()) {
                TaskResult result = future.join();
                if (!ran || !returned.contains(entry.serial)
                        || !("out-" + entry.serial).equals(result.output())
                        || !entry.taskId.equals(result.taskId())) {
                    violations.add("task '" + entry.taskId + "' completed with " + result.output()
                            + " though its session " + (ran ? "ran" : "never ran"));
                }
            }
            if (!ran || entry.dependencies.isEmpty()) {
                continue;
            }
            for (String dependency : entry.dependencies) {
                List<Entry> candidates = byId.get(dependency);
                if (candidates == null || candidates.size() != 1) {
                    continue;
                }
                Entry dep = candidates.get(0);
                if (!returned.contains(dep.serial)) {
                    violations.add("task '" + entry.taskId + "' ran although its dependency '"
                            + dependency + "' " + (runs.containsKey(dep.serial)
                                    ? "threw" : "never ran"));
                }
            }
        }
    }

    /** After the work ended: the metrics count what the users saw. */
    private void checkMetrics() {
        CoordinatorMetrics m = swarm.getMetrics();
        long accepted = entries.values().stream().filter(e -> !e.refused).count();
        long exposed = returned.stream().filter(this::exposed).count();
        if (m.tasksSubmitted() != accepted) {
            violations.add("metrics count " + m.tasksSubmitted() + " tasks submitted, the users "
                    + "saw " + accepted + " accepted");
        }
        if (m.tasksEnded() != m.tasksSubmitted() || m.tasksQueued() != 0
                || m.tasksRunning() != 0) {
            violations.add("metrics after completion are not at rest: " + m);
        }
        if (m.tasksCompleted() > returned.size()
                || m.tasksCompleted() < returned.size() - exposed) {
            violations.add("metrics count " + m.tasksCompleted() + " tasks completed; "
                    + returned.size() + " sessions returned, " + exposed + " of them cancelled "
                    + "or timed out");
        }
        Set<String> expected = new HashSet<>(believedLive);
        Set<String> listed = new HashSet<>();
        swarm.agents().forEach(a -> listed.add(a.id()));
        if (!listed.equals(expected) || m.agents() != listed.size()) {
            violations.add("agents listed " + listed.size() + " (metrics " + m.agents()
                    + "), expected the " + expected.size() + " spawned and not removed");
        }
    }

    /** Every note the swarm accepted for a stable agent reached its handler, once. */
    private void checkDelivery() {
        Map<String, Integer> accepted = new HashMap<>();
        for (Sent s : sent) {
            if (s.accepted().isDone() && !s.accepted().isCompletedExceptionally()) {
                accepted.merge(s.target(), 1, Integer::sum);
            }
        }
        try {
            Hostile.waiting().atMost(Duration.ofSeconds(10)).until(() -> stable.stream()
                    .allMatch(id -> handled.get(id).size() >= accepted.getOrDefault(id, 0)));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            // reported below
        }
        for (String id : stable) {
            int got = handled.get(id).size();
            int want = accepted.getOrDefault(id, 0);
            if (got != want) {
                violations.add("a stable agent's handler got " + got + " notes, the swarm "
                        + "accepted " + want + " (a throwing handler must not stop delivery)");
            }
        }
    }
}
