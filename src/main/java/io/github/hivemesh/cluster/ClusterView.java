package io.github.hivemesh.cluster;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One membership view, as a {@link ClusterTransport} delivers it to its {@link ClusterListener}:
 * the members this member may exchange messages with from now until the next view.
 *
 * <p>Views delivered by one transport have strictly increasing {@link #id()}s, always contain
 * the member itself, and never contain a member that left an earlier view of this transport
 * (see {@link ClusterTransport} for the full list of guarantees). Ids of views at different
 * members are equal when they are the same agreed view (JGroups' {@code ViewId} number), but
 * two sides of a partition may reuse the same id for different views: compare members, not ids,
 * across partitions.
 *
 * @param id        the view's number, increasing with every view this member installs
 * @param members   the members, the engine's coordinator first, then in the engine's order
 *                  (JGroups: join order); no duplicates
 * @param merge     whether this view heals a partition: it merges {@link #subgroups()}
 * @param subgroups for a merge view, the views that were merged, as the engine reports them
 *                  (they may include {@link #fenced()} members); empty otherwise
 * @param fenced    members the engine put in this view that this transport keeps out because
 *                  they left an earlier view of it (typically a zombie or the other side of a
 *                  partition, merged back): nothing from them is delivered and nothing can be
 *                  sent to them; they must rejoin with a new incarnation to be members again
 */
public record ClusterView(long id, List<MemberId> members, boolean merge,
        List<List<MemberId>> subgroups, Set<MemberId> fenced) {

    /**
     * Validates and copies.
     *
     * @param id the view's number, increasing with every view this member installs
     * @param members the members, the engine's coordinator first, then in the engine's order
     *     (JGroups: join order); no duplicates
     * @param merge whether this view heals a partition: it merges {@link #subgroups()}
     * @param subgroups for a merge view, the views that were merged, as the engine reports them
     *     (they may include {@link #fenced()} members); empty otherwise
     * @param fenced members the engine put in this view that this transport keeps out because they
     *     left an earlier view of it (typically a zombie or the other side of a partition, merged
     *     back): nothing from them is delivered and nothing can be sent to them; they must rejoin
     *     with a new incarnation to be members again*/
    public ClusterView {
        Objects.requireNonNull(members, "members");
        Objects.requireNonNull(subgroups, "subgroups");
        Objects.requireNonNull(fenced, "fenced");
        members = List.copyOf(members);
        if (members.isEmpty()) {
            throw new IllegalArgumentException("members must not be empty");
        }
        if (new LinkedHashSet<>(members).size() != members.size()) {
            throw new IllegalArgumentException("members must not repeat, was " + members);
        }
        List<List<MemberId>> copies = new ArrayList<>(subgroups.size());
        for (List<MemberId> subgroup : subgroups) {
            copies.add(List.copyOf(Objects.requireNonNull(subgroup, "subgroup")));
        }
        subgroups = List.copyOf(copies);
        if (!merge && !subgroups.isEmpty()) {
            throw new IllegalArgumentException("only a merge view has subgroups, was " + subgroups);
        }
        fenced = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(fenced));
        for (MemberId member : fenced) {
            if (members.contains(member)) {
                throw new IllegalArgumentException("a fenced member is not a member, was "
                        + member);
            }
        }
    }

    /**
     * {@return a view that is not a merge and fences no one}
     *
     * @param id the view's number, increasing with every view this member installs
     * @param members the members, the engine's coordinator first, then in the engine's order
     *     (JGroups: join order); no duplicates
     */
    public static ClusterView of(long id, List<MemberId> members) {
        return new ClusterView(id, members, false, List.of(), Set.of());
    }

    /**
     * {@return whether {@code member} is in this view}
     *
     * @param member the member to look for
     */
    public boolean contains(MemberId member) {
        Objects.requireNonNull(member, "member");
        return members.contains(member);
    }

    /**
     * {@return the first of {@link #members()}: the engine's coordinator of this view, unless the
     * engine's coordinator is {@link #fenced()}, then the oldest member that is not}
     */
    public MemberId coordinator() {
        return members.get(0);
    }

    /** {@return number of members} */
    public int size() {
        return members.size();
    }
}
