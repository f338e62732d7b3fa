/**
 * HiveMesh: coordinates swarms of agents inside an application — a peer-to-peer mesh and a
 * queen-led hierarchy behind {@link io.github.hivemesh.ICoordinator}, with exact completion
 * detection. Start from {@link io.github.hivemesh.CoordinatorFactory}.
 *
 * <p>Every package is exported except {@code io.github.hivemesh.internal} and its
 * subpackages, which hold the implementation and may change in any release.
 *
 * <p>Cluster mode's JGroups engine ({@code io.github.hivemesh.cluster.jgroups}) needs the
 * optional module {@code org.jgroups} ({@code org.jgroups:jgroups}): a modular application
 * that uses it puts the jar on the module path and adds {@code requires org.jgroups;} to its
 * own module declaration (or runs with {@code --add-modules org.jgroups}). Nothing else in
 * this module needs it. Likewise {@code io.github.hivemesh.langchain4j} needs LangChain4j
 * ({@code requires langchain4j.core;}, plus {@code langchain4j} for chat memories and
 * {@code langchain4j.agentic} for workflow steps) and Jackson's
 * {@code com.fasterxml.jackson.databind}.
 */
// msgpack.core and HdrHistogram (and the optional LangChain4j jars) have neither a module-info
// nor an Automatic-Module-Name: their names are derived from the jar file names, and javac warns ("requires-automatic") about
// requiring such names in a module others depend on, which -Werror makes an error. There is no
// other name to require — only shading them in would avoid it — so exactly that lint is off,
// for this declaration only, not in the build. The risk it names is real: should a later
// msgpack-core or HdrHistogram declare another name (proposals say org.msgpack.core and
// org.HdrHistogram), upgrading it means changing these lines in a release of ours.
@SuppressWarnings("requires-automatic")
module io.github.hivemesh {
    requires org.slf4j;
    requires msgpack.core;
    requires HdrHistogram;
    requires org.jctools.core.jdk11;

    // Optional integrations: "static", so they are read at run time only when the application
    // resolves them itself. Not "transitive": javac would then require the module when
    // compiling every application that reads ours, cluster mode or not. An application that
    // uses an integration requires its module itself (see the Javadoc above). No core package
    // names an integration type.
    requires static org.jgroups;
    // LangChain4j agents (io.github.hivemesh.langchain4j), the same way. Their jars have no
    // module names either (names from the file names); Jackson's databind is a named module.
    requires static langchain4j.core;
    requires static langchain4j;
    requires static langchain4j.agentic;
    requires static com.fasterxml.jackson.databind;

    exports io.github.hivemesh;
    exports io.github.hivemesh.agent;
    exports io.github.hivemesh.artifact;
    exports io.github.hivemesh.broker;
    exports io.github.hivemesh.cluster;
    exports io.github.hivemesh.cluster.jgroups;
    exports io.github.hivemesh.completion;
    exports io.github.hivemesh.hierarchy;
    exports io.github.hivemesh.langchain4j;
    exports io.github.hivemesh.memory;
    exports io.github.hivemesh.mesh;
    exports io.github.hivemesh.placement;
    exports io.github.hivemesh.task;
    exports io.github.hivemesh.wire;
    // Not exported: io.github.hivemesh.internal, .internal.cluster, .internal.util, .internal.wire.
}
