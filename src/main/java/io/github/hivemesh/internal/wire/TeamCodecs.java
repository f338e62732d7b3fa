package io.github.hivemesh.internal.wire;

import io.github.hivemesh.artifact.FieldReader;
import io.github.hivemesh.artifact.FieldWriter;
import io.github.hivemesh.artifact.MessagePackCodec;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * MessagePack codecs of the hierarchy's team messages, format version 1 each. A team (thief,
 * victim) is an index; {@code tasks} are embedded {@link AssignCodec} values, best first.
 *
 * <pre>
 * type name                      field  content  kind                          default
 * hivemesh.wire.TeamTasks            1  team     int                           required
 *                                    2  tasks    array of embedded Assign      []
 * hivemesh.wire.TeamRequeue          1  team     int                           required
 *                                    2  tasks    array of embedded Assign      []
 * hivemesh.wire.Stolen               1  victim   int                           required
 *                                    2  tasks    array of embedded Assign      []
 * hivemesh.wire.TeamRoom             1  team     int                           required
 *                                    2  slots    int                           required
 * hivemesh.wire.TeamQueued           1  team     int                           required
 * hivemesh.wire.StealChance          (no fields)
 * hivemesh.wire.StealRequest         1  thief    int                           required
 *                                    2  free     array of string arrays (sets) []
 *                                    3  slots    int                           required
 * </pre>
 *
 * Stateless and thread-safe.
 */
final class TeamCodecs {

    private TeamCodecs() {
    }

    /** A team index and a list of assignments: {@link TeamTasks}, {@link TeamRequeue}, {@link Stolen}. */
    static final class Assignments<M extends WireMessage> extends MessagePackCodec<M> {

        private final AssignCodec assignments;
        private final String teamName;
        private final ToIntFunction<M> team;
        private final Function<M, List<Assign>> tasks;
        private final BiFunction<Integer, List<Assign>, M> create;

        Assignments(String typeName, AssignCodec assignments, String teamName,
                ToIntFunction<M> team, Function<M, List<Assign>> tasks,
                BiFunction<Integer, List<Assign>, M> create) {
            super(typeName, 1);
            this.assignments = assignments;
            this.teamName = teamName;
            this.team = team;
            this.tasks = tasks;
            this.create = create;
        }

        @Override
        protected void writeFields(M message, FieldWriter out) {
            out.int32(1, team.applyAsInt(message))
                    .embeddedList(2, assignments, tasks.apply(message));
        }

        @Override
        protected M readFields(FieldReader in) {
            Integer index = null;
            List<Assign> list = List.of();
            while (in.next()) {
                switch (in.field()) {
                    case 1 -> index = in.readInt();
                    case 2 -> list = in.readEmbeddedList(assignments);
                    default -> in.skip();
                }
            }
            return create.apply(in.require(index, 1, teamName), list);
        }
    }

    static Assignments<TeamTasks> teamTasks(AssignCodec assignments) {
        return new Assignments<>("hivemesh.wire.TeamTasks", assignments, "team",
                TeamTasks::team, TeamTasks::tasks, TeamTasks::new);
    }

    static Assignments<TeamRequeue> teamRequeue(AssignCodec assignments) {
        return new Assignments<>("hivemesh.wire.TeamRequeue", assignments, "team",
                TeamRequeue::team, TeamRequeue::tasks, TeamRequeue::new);
    }

    static Assignments<Stolen> stolen(AssignCodec assignments) {
        return new Assignments<>("hivemesh.wire.Stolen", assignments, "victim",
                Stolen::victim, Stolen::tasks, Stolen::new);
    }

    /** {@link TeamRoom}. */
    static final class Room extends MessagePackCodec<TeamRoom> {

        static final Room INSTANCE = new Room();

        private Room() {
            super("hivemesh.wire.TeamRoom", 1);
        }

        @Override
        protected void writeFields(TeamRoom room, FieldWriter out) {
            out.int32(1, room.team()).int32(2, room.slots());
        }

        @Override
        protected TeamRoom readFields(FieldReader in) {
            Integer team = null;
            Integer slots = null;
            while (in.next()) {
                switch (in.field()) {
                    case 1 -> team = in.readInt();
                    case 2 -> slots = in.readInt();
                    default -> in.skip();
                }
            }
            return new TeamRoom(in.require(team, 1, "team"), in.require(slots, 2, "slots"));
        }
    }

    /** {@link TeamQueued}. */
    static final class Queued extends MessagePackCodec<TeamQueued> {

        static final Queued INSTANCE = new Queued();

        private Queued() {
            super("hivemesh.wire.TeamQueued", 1);
        }

        @Override
        protected void writeFields(TeamQueued queued, FieldWriter out) {
            out.int32(1, queued.team());
        }

        @Override
        protected TeamQueued readFields(FieldReader in) {
            Integer team = null;
            while (in.next()) {
                if (in.field() == 1) {
                    team = in.readInt();
                } else {
                    in.skip();
                }
            }
            return new TeamQueued(in.require(team, 1, "team"));
        }
    }

    /** {@link StealChance}: no fields. */
    static final class Chance extends MessagePackCodec<StealChance> {

        static final Chance INSTANCE = new Chance();

        private Chance() {
            super("hivemesh.wire.StealChance", 1);
        }

        @Override
        protected void writeFields(StealChance chance, FieldWriter out) {
            // nothing to say but the type
        }

        @Override
        protected StealChance readFields(FieldReader in) {
            while (in.next()) {
                in.skip();
            }
            return new StealChance();
        }
    }

    /** {@link StealRequest}. */
    static final class Steal extends MessagePackCodec<StealRequest> {

        static final Steal INSTANCE = new Steal();

        private Steal() {
            super("hivemesh.wire.StealRequest", 1);
        }

        @Override
        protected void writeFields(StealRequest request, FieldWriter out) {
            out.int32(1, request.thief())
                    .stringSets(2, request.free())
                    .int32(3, request.slots());
        }

        @Override
        protected StealRequest readFields(FieldReader in) {
            Integer thief = null;
            List<Set<String>> free = List.of();
            Integer slots = null;
            while (in.next()) {
                switch (in.field()) {
                    case 1 -> thief = in.readInt();
                    case 2 -> free = in.readStringSetList();
                    case 3 -> slots = in.readInt();
                    default -> in.skip();
                }
            }
            return new StealRequest(in.require(thief, 1, "thief"), free,
                    in.require(slots, 3, "slots"));
        }
    }
}
