/**
 * An application that uses cluster mode's JGroups engine: it requires org.jgroups itself.
 * org.jgroups is an automatic module (JGroups' manifest names it), so -Xlint:all warns about
 * requiring it, as it would in any application: that lint, and only it, is off here.
 */
@SuppressWarnings("requires-automatic")
module swarm.cluster {
    requires io.github.hivemesh;
    requires org.jgroups;
}
