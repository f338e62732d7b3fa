package io.github.hivemesh.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.hivemesh.cluster.SimulatedCluster.Fault;
import io.github.hivemesh.cluster.SimulatedCluster.SimulatedTransport;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The guarantees of {@link ClusterTransport}, checked over the simulated engine and the
 * production gate under random schedules with crashes, hangs and zombies, leaves, joins,
 * partitions and merges. One seed per schedule; a failure prints its seed, and
 * {@code -Dhivemesh.seed=N} replays it in {@link #replaysOneSeed_deterministically()}.
 * {@code -Dhivemesh.scale=long} runs 10⁵ schedules, the default suite 2·10³.
 *
 * <p>Checked at every delivery: view ids increase, the member is in its views, a departed
 * member never comes back, messages come only from members of the last view, and what a member
 * delivers from each sender is exactly the next message that sender sent it (FIFO, no gap, no
 * duplicate). Checked at the end, after every hung member resumed, the partitions healed and
 * the schedule ran dry: every message between two running members that have each other in
 * their views was delivered; fencing is symmetric; all running members share one view id.
 */
class SimulatedClusterTest {

    private static final boolean LONG = "long".equals(System.getProperty("hivemesh.scale"));
    private static final int SCHEDULES = LONG ? 100_000 : 2_000;
    private static final int NEGATIVE_CONTROL_BUDGET = 500;

    /** One member's view of the run: what it was told, checked as it is told. */
    private static final class Checker implements ClusterListener {
        final Schedule schedule;
        SimulatedTransport transport;
        MemberId self;
        ClusterView last;
        final Set<MemberId> departed = new LinkedHashSet<>();
        final Map<MemberId, Integer> expected = new HashMap<>();

        Checker(Schedule schedule) {
            this.schedule = schedule;
        }

        @Override
        public void onView(ClusterView view) {
            MemberId me = self == null ? transport.self() : self;
            self = me;
            if (last != null) {
                if (view.id() <= last.id()) {
                    schedule.violation(me + ": view id " + view.id() + " after " + last.id());
                }
                for (MemberId member : last.members()) {
                    if (!view.contains(member)) {
                        departed.add(member);
                    }
                }
            }
            if (!view.contains(me)) {
                schedule.violation(me + ": not in its own view " + view);
            }
            for (MemberId member : view.members()) {
                if (departed.contains(member)) {
                    schedule.violation(me + ": departed " + member + " is back in " + view);
                }
            }
            departed.addAll(view.fenced());
            if (view.merge()) {
                schedule.merges++;
            }
            if (!view.fenced().isEmpty()) {
                schedule.fencings++;
            }
            last = view;
        }

        @Override
        public void onMessage(MemberId from, byte[] payload) {
            if (last == null || !last.contains(from)) {
                schedule.violation(self + ": message from " + from + " outside view " + last);
            }
            Integer seq = Schedule.seqFor(payload, self);
            if (seq == null) {
                schedule.violation(self + ": a message from " + from + " not meant for it");
                return;
            }
            int next = expected.getOrDefault(from, 0);
            if (seq != next) {
                schedule.violation(self + ": from " + from + " got #" + seq + ", expected #"
                        + next + " (FIFO per pair, no gap)");
            }
            expected.put(from, Math.max(next, seq + 1));
            schedule.delivered++;
        }
    }

    /** One schedule. */
    private static final class Schedule {
        final long seed;
        final SplittableRandom random;
        final SimulatedCluster cluster;
        final List<Checker> members = new ArrayList<>();
        final Set<MemberId> hung = new LinkedHashSet<>();
        final Set<MemberId> gone = new LinkedHashSet<>();
        final Map<String, Integer> sent = new HashMap<>();
        final List<String> violations = new ArrayList<>();
        int names;
        long delivered;
        int merges;
        int fencings;
        int zombies;

        Schedule(long seed, Fault fault) {
            this.seed = seed;
            this.random = new SplittableRandom(seed);
            this.cluster = new SimulatedCluster(random, fault);
        }

        void violation(String what) {
            if (violations.size() < 10) {
                violations.add(what);
            }
        }

        static String key(MemberId from, MemberId to) {
            return from + ">" + to;
        }

        /** Payload: "to=seq;to=seq;..." — one entry per recipient. */
        static Integer seqFor(byte[] payload, MemberId self) {
            for (String entry : new String(payload, StandardCharsets.UTF_8).split(";")) {
                int eq = entry.lastIndexOf('=');
                if (entry.substring(0, eq).equals(self.toString())) {
                    return Integer.parseInt(entry.substring(eq + 1));
                }
            }
            return null;
        }

        Checker join() {
            Checker checker = new Checker(this);
            checker.transport = cluster.transport("n" + names++);
            members.add(checker);
            checker.transport.start(checker);
            return checker;
        }

        List<Checker> running() {
            List<Checker> running = new ArrayList<>();
            for (Checker c : members) {
                if (!gone.contains(c.self) && !hung.contains(c.self)) {
                    running.add(c);
                }
            }
            return running;
        }

        void send(Checker from, boolean toAll) {
            ClusterView view = from.transport.view();
            List<MemberId> targets = new ArrayList<>();
            for (MemberId member : view.members()) {
                if (!member.equals(from.self)) {
                    targets.add(member);
                }
            }
            if (targets.isEmpty()) {
                return;
            }
            if (!toAll) {
                targets = List.of(targets.get(random.nextInt(targets.size())));
            }
            StringBuilder payload = new StringBuilder();
            for (MemberId to : targets) {
                payload.append(to).append('=').append(sent.getOrDefault(key(from.self, to), 0))
                        .append(';');
            }
            byte[] bytes = payload.toString().getBytes(StandardCharsets.UTF_8);
            List<MemberId> reached = toAll ? from.transport.sendToAll(bytes)
                    : from.transport.send(targets.get(0), bytes) ? targets : List.of();
            if (!reached.equals(targets)) {
                violation(from.self + ": sent to " + reached + ", its view had " + targets);
            }
            for (MemberId to : reached) {
                sent.merge(key(from.self, to), 1, Integer::sum);
            }
        }

        void fault() {
            List<Checker> running = running();
            int kind = random.nextInt(7);
            Checker victim = running.get(random.nextInt(running.size()));
            switch (kind) {
                case 0 -> {
                    if (running.size() > 1) {
                        cluster.crash(victim.self);
                        gone.add(victim.self);
                    }
                }
                case 1 -> {
                    if (running.size() > 1) {
                        cluster.hang(victim.self);
                        hung.add(victim.self);
                    }
                }
                case 2 -> resumeOne();
                case 3 -> {
                    if (running.size() > 1) {
                        victim.transport.close();
                        gone.add(victim.self);
                    }
                }
                case 4 -> {
                    if (members.size() < 7) {
                        join();
                    }
                }
                case 5 -> {
                    List<List<MemberId>> sides = List.of(new ArrayList<>(), new ArrayList<>());
                    for (Checker c : members) {
                        sides.get(random.nextInt(2)).add(c.self);
                    }
                    cluster.partition(sides);
                }
                default -> cluster.heal();
            }
        }

        void resumeOne() {
            if (!hung.isEmpty()) {
                MemberId zombie = hung.iterator().next();
                hung.remove(zombie);
                cluster.resume(zombie);
                zombies++;
            }
        }

        Schedule run() {
            int start = 2 + random.nextInt(3);
            for (int i = 0; i < start; i++) {
                join();
            }
            int rounds = 30 + random.nextInt(90);
            for (int round = 0; round < rounds; round++) {
                int dice = random.nextInt(100);
                List<Checker> running = running();
                if (dice < 45) {
                    send(running.get(random.nextInt(running.size())), false);
                } else if (dice < 55) {
                    send(running.get(random.nextInt(running.size())), true);
                } else if (dice < 90) {
                    for (int s = random.nextInt(10); s >= 0; s--) {
                        cluster.step();
                    }
                } else {
                    fault();
                }
            }
            while (!hung.isEmpty()) {
                resumeOne();
            }
            cluster.heal();
            cluster.runUntilQuiet(1_000_000);
            checkEnd();
            return this;
        }

        void checkEnd() {
            if (cluster.step()) {
                violation("the schedule did not run dry");
            }
            List<Checker> running = running();
            Long id = null;
            for (Checker a : running) {
                ClusterView va = a.transport.view();
                if (id != null && va.id() != id) {
                    violation("views differ after the merge: " + id + " and " + va);
                }
                id = va.id();
                for (Checker b : running) {
                    if (a == b) {
                        continue;
                    }
                    ClusterView vb = b.transport.view();
                    if (va.contains(b.self) != vb.contains(a.self)
                            || va.fenced().contains(b.self) != vb.fenced().contains(a.self)) {
                        violation("fencing not symmetric: " + va + " / " + vb);
                    }
                    if (va.contains(b.self) && vb.contains(a.self)) {
                        int s = sent.getOrDefault(key(a.self, b.self), 0);
                        int d = b.expected.getOrDefault(a.self, 0);
                        if (s != d) {
                            violation(a.self + " -> " + b.self + ": sent " + s + ", delivered "
                                    + d + ", both still members");
                        }
                    }
                }
            }
        }

        boolean ok() {
            return violations.isEmpty();
        }

        @Override
        public String toString() {
            return "seed " + seed + (ok() ? " ok" : " FAILED " + violations) + ", "
                    + cluster.steps() + " steps, " + delivered + " delivered, " + merges
                    + " merge views, " + fencings + " fencing views, " + zombies + " zombies";
        }
    }

    @Test
    void randomSchedules_keepEveryGuarantee() {
        long steps = 0;
        long delivered = 0;
        int withZombies = 0;
        int withFencing = 0;
        int withLoss = 0;
        long started = System.nanoTime();
        for (long seed = 1; seed <= SCHEDULES; seed++) {
            Schedule schedule = new Schedule(seed, Fault.NONE).run();
            if (!schedule.ok()) {
                System.out.println("cluster schedule failed: " + schedule);
            }
            assertThat(schedule.ok()).as("%s", schedule).isTrue();
            steps += schedule.cluster.steps();
            delivered += schedule.delivered;
            withZombies += schedule.zombies > 0 ? 1 : 0;
            withFencing += schedule.fencings > 0 ? 1 : 0;
            withLoss += schedule.cluster.lost() > 0 ? 1 : 0;
        }
        System.out.printf("cluster schedules: %,d schedules, %,d steps, %,d messages delivered, "
                + "%,d with zombies, %,d with fencing views, %,d with engine losses, in %,d ms%n",
                SCHEDULES, steps, delivered, withZombies, withFencing, withLoss,
                (System.nanoTime() - started) / 1_000_000);
        // the workload reaches the cases the guarantees are about
        assertThat(withZombies).isGreaterThan(SCHEDULES / 20);
        assertThat(withFencing).isGreaterThan(SCHEDULES / 20);
        assertThat(withLoss).isGreaterThan(SCHEDULES / 50);
    }

    @Test
    void replaysOneSeed_deterministically() {
        long seed = Long.getLong("hivemesh.seed", 42L);
        Schedule first = new Schedule(seed, Fault.NONE).run();
        Schedule second = new Schedule(seed, Fault.NONE).run();
        System.out.println("replayed cluster schedule: " + first);
        assertThat(first.ok()).as("%s", first).isTrue();
        assertThat(second.cluster.trace()).isEqualTo(first.cluster.trace());
        assertThat(second.delivered).isEqualTo(first.delivered);
    }

    @Test
    void negativeControl_anEngineThatReorders_isCaught() {
        assertThat(firstFailure(Fault.ENGINE_REORDERS)).contains("FIFO");
    }

    @Test
    void negativeControl_withoutTheGate_departedMembersAreHeardFrom() {
        assertThat(firstFailure(Fault.NO_GATE)).containsAnyOf("outside view", "is back in",
                "not symmetric", "expected #");
    }

    private static String firstFailure(Fault fault) {
        for (long seed = 1; seed <= NEGATIVE_CONTROL_BUDGET; seed++) {
            Schedule schedule = new Schedule(seed, fault).run();
            if (!schedule.ok()) {
                System.out.println("negative control " + fault + " caught: " + schedule);
                return schedule.violations.toString();
            }
        }
        return "not caught in " + NEGATIVE_CONTROL_BUDGET + " schedules";
    }

    @Test
    void theSimulation_refusesOtherThreadsAndMisuse() throws Exception {
        SimulatedCluster cluster = new SimulatedCluster(new SplittableRandom(1));
        SimulatedTransport a = cluster.transport("a");
        assertThatThrownBy(a::self).isInstanceOf(IllegalStateException.class);
        a.start(new ClusterListener() {
            @Override
            public void onView(ClusterView view) {
            }

            @Override
            public void onMessage(MemberId from, byte[] payload) {
            }
        });
        assertThat(a.view().members()).containsExactly(a.self());
        assertThatThrownBy(() -> a.send(a.self(), new byte[0]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> cluster.resume(a.self())).isInstanceOf(IllegalStateException.class);
        Thread other = new Thread(() -> assertThatThrownBy(cluster::step)
                .hasMessageContaining("would not replay"));
        other.start();
        other.join();
    }
}
