package io.github.hivemesh.hierarchy;

import io.github.hivemesh.agent.AgentDefinition;
import io.github.hivemesh.agent.AgentLimitExceededException;
import io.github.hivemesh.agent.DuplicateAgentException;
import io.github.hivemesh.agent.NoCapableAgentException;
import io.github.hivemesh.internal.TaskRecord;
import io.github.hivemesh.placement.CapabilityCache;
import io.github.hivemesh.placement.CapabilityIndex;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntFunction;

/**
 * Who is in the swarm: the teams, the workers, and a capability index of the workers that can
 * take work. Teams are created lazily, in index order, up to {@code ceil(maxAgents / fanOut)};
 * a new worker joins the team with the fewest members.
 *
 * <p>Every change that makes a worker routable or not moves {@link #version()} (the index's),
 * so the queen knows when her per-lane lists of capable teams are stale; the answers to "can
 * anyone serve this" and "which teams can" are cached per version ({@link CapabilityCache}).
 * Membership changes (spawn, leave) take this roster's lock — they are rare; lookups are
 * lock-free.
 */
final class Roster {

    private static final int CACHED_REQUIREMENTS = 1024;
    private static final Comparator<TeamLead> FEWEST_MEMBERS = Comparator
            .comparingInt((TeamLead t) -> t.members).thenComparingInt(t -> t.index);

    private final int maxAgents;
    private final TeamLead[] teams;
    private final IntFunction<TeamLead> newTeam;
    /** Teams created so far; written under the lock, after the team is in the array. */
    private volatile int created;
    private final TreeSet<TeamLead> bySize = new TreeSet<>(FEWEST_MEMBERS);
    private int agents;

    private final ConcurrentHashMap<String, Worker> workers = new ConcurrentHashMap<>();
    private final CapabilityIndex routable = new CapabilityIndex();
    private final CapabilityCache<Boolean> servable =
            new CapabilityCache<>(routable, CACHED_REQUIREMENTS, ids -> !ids.isEmpty());
    private final CapabilityCache<TeamLead[]> capableTeams =
            new CapabilityCache<>(routable, CACHED_REQUIREMENTS, this::teamsOf);

    Roster(int maxAgents, int fanOut, IntFunction<TeamLead> newTeam) {
        this.maxAgents = maxAgents;
        this.teams = new TeamLead[(maxAgents + fanOut - 1) / fanOut];
        this.newTeam = newTeam;
    }

    /** Teams a full swarm has. */
    int teamCount() {
        return teams.length;
    }

    /**
     * Admits a batch of workers, all or none: every id must be free and distinct, and the batch
     * must fit under {@code maxAgents}; then each joins the least populated team.
     *
     * @throws AgentLimitExceededException if the batch does not fit
     * @throws DuplicateAgentException     for an id in use or twice in the batch
     */
    synchronized List<Worker> admitAll(List<AgentDefinition> batch, WorkerFactory factory) {
        Set<String> ids = new HashSet<>();
        for (AgentDefinition definition : batch) {
            if (workers.containsKey(definition.id()) || !ids.add(definition.id())) {
                throw new DuplicateAgentException(definition.id());
            }
        }
        if (agents + batch.size() > maxAgents) {
            throw new AgentLimitExceededException(batch.get(0).id(), maxAgents, agents,
                    batch.size());
        }
        List<Worker> admitted = new ArrayList<>(batch.size());
        for (AgentDefinition definition : batch) {
            admitted.add(admit(definition, factory));
        }
        return admitted;
    }

    /** Admits a checked worker to the least populated team, creating the next team if due. */
    private Worker admit(AgentDefinition definition, WorkerFactory factory) {
        String id = definition.id();
        TeamLead team = bySize.isEmpty() ? null : bySize.first();
        if (created < teams.length && (team == null || team.members > 0)) {
            team = newTeam.apply(created);
            teams[created] = team;
            created = created + 1;
        } else {
            bySize.remove(team);
        }
        team.members++;
        bySize.add(team);
        agents++;
        Worker worker = factory.create(definition, team);
        workers.put(id, worker);
        return worker;
    }

    /** Forgets a worker that has left its team. */
    synchronized void discharge(Worker worker) {
        if (workers.remove(worker.id(), worker)) {
            TeamLead team = worker.team;
            bySize.remove(team);
            team.members--;
            bySize.add(team);
            agents--;
        }
    }

    /** Makes a worker routable: the queen may now count its team capable of its lanes. */
    void activate(Worker worker) {
        routable.put(worker.id(), worker.capabilities());
    }

    /** Stops routing new work to a worker. */
    void deactivate(Worker worker) {
        routable.remove(worker.id());
    }

    /** Changes whenever a worker becomes routable or stops being so. */
    long version() {
        return routable.version();
    }

    Worker worker(String id) {
        return workers.get(id);
    }

    List<Worker> workers() {
        return new ArrayList<>(workers.values());
    }

    /** The teams created so far (a snapshot). */
    List<TeamLead> teams() {
        int n = created;
        List<TeamLead> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            list.add(teams[i]);
        }
        return list;
    }

    /** A team created so far, by index. */
    TeamLead team(int index) {
        return teams[index];
    }

    /** Why no agent can run a task: its capabilities, and those no routable agent has. */
    NoCapableAgentException noCapableAgent(TaskRecord record) {
        Set<String> required = record.task().requiredCapabilities();
        return new NoCapableAgentException(record.id(), required, missing(required));
    }

    /**
     * Teams having a routable worker with every capability of {@code required}, cached per
     * {@link #version()}; the array is shared, read-only.
     */
    TeamLead[] capableTeams(Set<String> required) {
        return capableTeams.get(required);
    }

    private TeamLead[] teamsOf(List<String> workerIds) {
        Set<TeamLead> capable = new LinkedHashSet<>();
        for (String id : workerIds) {
            Worker worker = workers.get(id);
            if (worker != null) {
                capable.add(worker.team);
            }
        }
        return capable.toArray(new TeamLead[0]);
    }

    /**
     * Whether some routable worker has every capability of {@code required}. Remembered per
     * capability set until the roster changes, so a submission rarely scans the index.
     */
    boolean canServe(Set<String> required) {
        return servable.get(required);
    }

    /** The capabilities of {@code required} no routable worker has. */
    Set<String> missing(Set<String> required) {
        return routable.missing(required);
    }

    /** Creates a worker for a team, under the roster's lock. */
    interface WorkerFactory {
        Worker create(AgentDefinition definition, TeamLead team);
    }
}
