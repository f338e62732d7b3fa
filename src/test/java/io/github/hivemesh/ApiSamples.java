package io.github.hivemesh;

import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.memory.chat.ChatMemoryProvider;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import io.github.hivemesh.agent.AdaptiveIdlePausePolicy;
import io.github.hivemesh.agent.AgentDefinition;
import io.github.hivemesh.agent.AgentSession;
import io.github.hivemesh.agent.AgentStateMachine;
import io.github.hivemesh.agent.IdlePausePolicy;
import io.github.hivemesh.agent.QueryController;
import io.github.hivemesh.agent.TokenCostModel;
import io.github.hivemesh.agent.TokenMeter;
import io.github.hivemesh.agent.TokenSavings;
import io.github.hivemesh.artifact.DecodeLimits;
import io.github.hivemesh.artifact.FieldReader;
import io.github.hivemesh.artifact.FieldWriter;
import io.github.hivemesh.artifact.FileArtifactStorage;
import io.github.hivemesh.artifact.InMemoryArtifactStorage;
import io.github.hivemesh.artifact.MessagePackCodec;
import io.github.hivemesh.broker.InProcessMessageBroker;
import io.github.hivemesh.broker.Message;
import io.github.hivemesh.broker.MessageBrokerConfig;
import io.github.hivemesh.broker.MessageHandler;
import io.github.hivemesh.cluster.ClusterConfig;
import io.github.hivemesh.cluster.ClusterMessageBroker;
import io.github.hivemesh.cluster.ClusterTls;
import io.github.hivemesh.cluster.ClusterTransport;
import io.github.hivemesh.cluster.ClusterView;
import io.github.hivemesh.cluster.MemberId;
import io.github.hivemesh.cluster.SimulatedCluster;
import io.github.hivemesh.cluster.jgroups.JGroupsTransportFactory;
import io.github.hivemesh.completion.CompletionProbe;
import io.github.hivemesh.completion.CompletionSignal;
import io.github.hivemesh.completion.CountingCompletionDetector;
import io.github.hivemesh.completion.DistributedCompletionConfig;
import io.github.hivemesh.completion.IDistributedCompletionDetector;
import io.github.hivemesh.completion.SignalTransport;
import io.github.hivemesh.hierarchy.HierarchicalCoordinatorConfig;
import io.github.hivemesh.internal.AgentControls;
import io.github.hivemesh.langchain4j.ChatAgent;
import io.github.hivemesh.langchain4j.SwarmTool;
import io.github.hivemesh.memory.MemoryEntry;
import io.github.hivemesh.memory.PeerState;
import io.github.hivemesh.memory.PeerStateCodec;
import io.github.hivemesh.memory.SwarmMemoryManager;
import io.github.hivemesh.memory.SwarmMemoryQuery;
import io.github.hivemesh.mesh.LoadBalancerConfig;
import io.github.hivemesh.mesh.MeshCoordinatorConfig;
import io.github.hivemesh.mesh.MeshLoadBalancer;
import io.github.hivemesh.mesh.PeerDiscoveryConfig;
import io.github.hivemesh.mesh.PeerDiscoverySystem;
import io.github.hivemesh.mesh.PeerInfo;
import io.github.hivemesh.mesh.PeerInfoCodec;
import io.github.hivemesh.mesh.PeerStatus;
import io.github.hivemesh.mesh.TaskMigrator;
import io.github.hivemesh.placement.CandidateLoads;
import io.github.hivemesh.placement.CapabilityCache;
import io.github.hivemesh.placement.CapabilityIndex;
import io.github.hivemesh.placement.LoadTable;
import io.github.hivemesh.placement.PlacementStrategy;
import io.github.hivemesh.placement.Placer;
import io.github.hivemesh.task.DependencyGraph;
import io.github.hivemesh.task.Task;
import io.github.hivemesh.task.TaskContext;
import io.github.hivemesh.task.TaskResult;
import io.github.hivemesh.testing.ManualExecutor;
import io.github.hivemesh.testing.VirtualTime;
import io.github.hivemesh.wire.PayloadCodec;
import java.net.InetAddress;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.file.Path;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import java.util.function.ToIntFunction;
import java.util.function.ToLongFunction;
import java.util.random.RandomGenerator;
import javax.net.ssl.SSLContext;

/**
 * Valid sample values and live instances of the public API, by type, for
 * {@link PublicApiNullTest}: an argument of type {@code T} is the exact-type sample of
 * {@code T}, else an enum's first constant, else the first registered instance of {@code T}.
 * The methods of {@code T} are called on every registered instance of {@code T} (one per
 * class), so an interface is walked on each implementation registered here.
 *
 * <p>Time is virtual and the broker's dispatcher manual, so nothing here starts a thread but the
 * two coordinators; {@link #close()} stops everything, in reverse order of creation.
 */
final class ApiSamples implements AutoCloseable {

    private static final Map<Class<?>, Object> PRIMITIVES = Map.of(int.class, 1, long.class,
            1L, double.class, 1.0, boolean.class, true);

    private final Map<Class<?>, Object> exact = new LinkedHashMap<>();
    private final List<Object> instances = new ArrayList<>();
    private final Deque<AutoCloseable> owned = new ArrayDeque<>();
    private final Map<Object, Boolean> known = new IdentityHashMap<>();

    ApiSamples(Path dir) {
        VirtualTime time = new VirtualTime();
        Clock clock = time.clock();
        ManualExecutor manual = new ManualExecutor();
        Instant now = time.now();

        exact(String.class, "sample");
        exact(Object.class, "payload");
        exact(Collection.class, List.of());
        exact(List.class, List.of());
        exact(Set.class, Set.of());
        exact(Map.class, Map.of());
        exact(Duration.class, Duration.ofSeconds(1));
        exact(Instant.class, now);
        exact(Clock.class, clock);
        exact(ScheduledExecutorService.class, time.scheduler());
        exact(Executor.class, manual);
        exact(Path.class, dir);
        exact(byte[].class, new byte[] {1, 2, 3});
        exact(String[].class, new String[] {"sample"});
        exact(Throwable.class, new IllegalStateException("sample failure"));
        exact(RandomGenerator.class, new SplittableRandom(1));
        exact(Runnable.class, (Runnable) () -> { });
        exact(Supplier.class, (Supplier<IdlePausePolicy>) IdlePausePolicy::never);
        exact(Consumer.class, (Consumer<Message>) message -> { });
        exact(Predicate.class, (Predicate<String>) id -> true);
        exact(Function.class, (Function<Object, Object>) o -> o);
        exact(ToIntFunction.class, (ToIntFunction<Object>) o -> 1);
        exact(ToDoubleFunction.class, (ToDoubleFunction<Object>) o -> 1.0);
        exact(ToLongFunction.class, (ToLongFunction<Object>) o -> 1L);
        exact(AgentSession.class, (AgentSession) ctx -> ctx.task().payload());
        exact(MessageHandler.class, (MessageHandler) message -> { });
        exact(SignalTransport.class, (SignalTransport) probe -> { });
        exact(Function.class, (Function<Object, Object>) o -> o);
        exact(BiFunction.class, (BiFunction<String, String, Task>) (capability, text) ->
                Task.builder().type(capability).build());
        ChatModel chatModel = new ChatModel() {
            @Override
            public ChatResponse doChat(ChatRequest request) {
                return ChatResponse.builder().aiMessage(AiMessage.from("sample")).build();
            }
        };
        exact(ChatModel.class, chatModel);
        exact(StreamingChatModel.class, new StreamingChatModel() {
            @Override
            public void doChat(ChatRequest request, StreamingChatResponseHandler handler) {
                handler.onCompleteResponse(chatModel.chat(request));
            }
        });
        exact(ChatMemoryProvider.class,
                (ChatMemoryProvider) id -> MessageWindowChatMemory.withMaxMessages(10));
        exact(ToolSpecification.class, ToolSpecification.builder().name("sample").build());
        exact(SwarmTool.class, (SwarmTool) (call, ctx) ->
                CompletableFuture.completedFuture("sample"));

        // values and builders with their defaults
        add(SwarmConfig.builder().build());
        add(SwarmConfig.builder());
        add(MeshCoordinatorConfig.defaults());
        add(MeshCoordinatorConfig.builder());
        add(HierarchicalCoordinatorConfig.defaults());
        add(HierarchicalCoordinatorConfig.builder());
        add(MessageBrokerConfig.defaults());
        add(MessageBrokerConfig.builder());
        add(DistributedCompletionConfig.builder().clock(clock).scheduler(time.scheduler())
                .build());
        add(DistributedCompletionConfig.builder());
        add(PeerDiscoveryConfig.defaults());
        add(PeerDiscoveryConfig.builder());
        add(LoadBalancerConfig.defaults());
        add(LoadBalancerConfig.builder());
        add(DecodeLimits.DEFAULT);
        add(DecodeLimits.builder());
        add(SwarmMemoryQuery.builder().build());
        add(SwarmMemoryQuery.builder());
        add(Task.builder().type("sample").build());
        add(Task.builder());
        add(AgentDefinition.builder().id("sample-agent").capabilities("sample")
                .session(ctx -> null).build());
        add(AgentDefinition.builder());
        add(ChatAgent.builder());
        add(Message.of("sample", "payload"));
        add(new CompletionProbe(1, "sender", "recipient", CompletionProbe.Type.PROBE, 0));
        add(PeerState.initial("peer", "swarm", now));
        add(new PeerInfo("peer", "swarm", Set.of("sample"), 1, 1, now, PeerStatus.ALIVE));
        add(new MemoryEntry("entry", "agent", "finding", "content", Map.of(), now, Set.of()));
        add(TaskResult.completed("task", "output", "agent", now, now, now));
        add(TokenCostModel.REFERENCE);
        add(TokenSavings.none());
        add(new TopologyRouter());

        // cluster mode: configs, values, and a JGroups transport that is never started
        exact(InetAddress.class, InetAddress.getLoopbackAddress());
        exact(char[].class, new char[] {'x'});
        try {
            exact(URL.class, dir.toUri().toURL());
            exact(SSLContext.class, SSLContext.getDefault());
        } catch (MalformedURLException | NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        ClusterConfig clusterConfig = ClusterConfig.builder().memberName("sample").bindPort(0)
                .build();
        add(clusterConfig);
        add(ClusterConfig.builder());
        add(ClusterTls.builder());
        add(ClusterTls.of((SSLContext) exact.get(SSLContext.class)));
        MemberId member = new MemberId("sample", 1);
        add(member);
        add(ClusterView.of(1, List.of(member)));
        add(JGroupsTransportFactory.standard());
        add(own(ClusterTransport.create(clusterConfig)));
        exact(long[].class, new long[] {1});
        add(CompletionSignal.of("root", new CompletionProbe(1, "sender", "recipient",
                CompletionProbe.Type.ACKNOWLEDGMENT, 0)));
        // a cluster broker of one member, over the simulated engine (owned by this thread)
        add(own(ClusterMessageBroker.start(new SimulatedCluster(new SplittableRandom(1))
                .transport("sample"), new InProcessMessageBroker(MessageBrokerConfig.builder()
                        .dispatcher(manual).build()), PayloadCodec.defaults(),
                DecodeLimits.DEFAULT)));

        // components, on virtual time and a manual dispatcher
        InProcessMessageBroker broker = own(new InProcessMessageBroker(
                MessageBrokerConfig.builder().dispatcher(manual).build()));
        add(broker);
        add(broker.getMetrics());
        add(SignalTransport.overBroker(broker));
        add(TaskMigrator.NONE);
        add(IdlePausePolicy.never());
        add(IdlePausePolicy.fixed(Duration.ofSeconds(1)));
        add(new AdaptiveIdlePausePolicy(TokenCostModel.REFERENCE));
        add(new AgentStateMachine("agent", clock));
        add(new TokenMeter(clock));
        add(new InMemoryArtifactStorage());
        add(new FileArtifactStorage(dir.resolve("artifacts")));
        add(PeerStateCodec.INSTANCE);
        add(PeerInfoCodec.INSTANCE);
        add(PayloadCodec.defaults());
        add((FieldReader.Decoder<Object>) PayloadCodec.defaults()::decode);
        CapturingCodec codec = new CapturingCodec();
        codec.decode(codec.encode("value"));
        add(codec.writer.get());
        add(codec.reader.get());
        LoadTable loads = new LoadTable(clock);
        CapabilityIndex index = new CapabilityIndex();
        add(loads);
        add(index);
        add(new CapabilityCache<>(index, 1, ids -> ids));
        add(CandidateLoads.of(List.of("peer"), loads));
        add(new Placer(index, loads, PlacementStrategy.LEAST_LOADED, new SplittableRandom(1)));
        add(new DependencyGraph());
        MeshLoadBalancer balancer = new MeshLoadBalancer(LoadBalancerConfig.defaults(),
                TaskMigrator.NONE, clock);
        add(balancer);
        add(balancer.getLoadDistribution());
        add(new PeerDiscoverySystem("peer", List.of("sample"), broker,
                PeerDiscoveryConfig.defaults(), clock, time.scheduler()));
        add(new SwarmMemoryManager("swarm", new InMemoryArtifactStorage(), clock));
        AgentControls control = new AgentControls("swarm", id -> null, List::of);
        add(control);
        add(new QueryController(control, TokenCostModel.REFERENCE));
        DistributedCompletionConfig completion = DistributedCompletionConfig.builder()
                .clock(clock).scheduler(time.scheduler()).build();
        IDistributedCompletionDetector detector = CoordinatorFactory
                .createDistributedCompletionDetector("swarm", "root", probe -> { }, completion);
        owned.push(detector::shutdown);
        add(detector);
        add(detector.addPeer("peer"));
        add(detector.root());
        CountingCompletionDetector counting = CountingCompletionDetector.create("swarm",
                completion);
        owned.push(counting::shutdown);
        add(counting);

        // the two coordinators, running, and a task context from a real run
        AtomicReference<TaskContext> context = new AtomicReference<>();
        for (Topology topology : List.of(Topology.MESH, Topology.HIERARCHICAL)) {
            ICoordinator swarm = own(CoordinatorFactory.createWithTopology(SwarmConfig.builder()
                    .topology(topology).maxAgents(topology == Topology.MESH ? 3 : 8).build()));
            swarm.initialize().join();
            swarm.spawnAgent(AgentDefinition.builder().id("walker").capabilities("walk")
                    .session(ctx -> {
                        context.compareAndSet(null, ctx);
                        return null;
                    }).build()).join();
            swarm.submitTask(Task.builder().type("walk").requiredCapabilities("walk").build())
                    .join();
            add(swarm);
            add(swarm.queryController());
            add(swarm.getMetrics());
        }
        add(context.get());
    }

    /** The sample argument of {@code type}, or null if there is none. */
    Object sample(Class<?> type) {
        if (exact.containsKey(type)) {
            return exact.get(type);
        }
        if (type.isEnum()) {
            return type.getEnumConstants()[0];
        }
        if (type.isPrimitive()) {
            return PRIMITIVES.get(type);
        }
        for (Object instance : instances) {
            if (type.isInstance(instance)) {
                return instance;
            }
        }
        return null;
    }

    /** The instances to call {@code type}'s instance methods on: one per class. */
    List<Object> receivers(Class<?> type) {
        Map<Class<?>, Object> byClass = new LinkedHashMap<>();
        if (type.isEnum()) {
            byClass.put(type, type.getEnumConstants()[0]);
        }
        for (Object instance : instances) {
            if (type.isInstance(instance)) {
                byClass.putIfAbsent(instance.getClass(), instance);
            }
        }
        return new ArrayList<>(byClass.values());
    }

    /** Closes {@code result} with the rest if it is something a call created that needs it. */
    void own(Object result) {
        if (result instanceof AutoCloseable closeable && !known.containsKey(result)) {
            own(closeable);
        }
    }

    private <T extends AutoCloseable> T own(T closeable) {
        known.put(closeable, Boolean.TRUE);
        owned.push(closeable);
        return closeable;
    }

    private void exact(Class<?> type, Object value) {
        exact.put(type, value);
    }

    private void add(Object instance) {
        known.put(instance, Boolean.TRUE);
        instances.add(instance);
    }

    @Override
    public void close() {
        IllegalStateException first = null;
        while (!owned.isEmpty()) {
            try {
                owned.pop().close();
            } catch (Exception e) {
                if (first == null) {
                    first = new IllegalStateException("closing the samples failed", e);
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /** A codec that keeps its field writer and reader, the only way to obtain them. */
    private static final class CapturingCodec extends MessagePackCodec<String> {

        final AtomicReference<FieldWriter> writer = new AtomicReference<>();
        final AtomicReference<FieldReader> reader = new AtomicReference<>();

        CapturingCodec() {
            super("hivemesh.test.Sample", 1);
        }

        @Override
        protected void writeFields(String value, FieldWriter out) {
            writer.set(out);
            out.string(1, value);
        }

        @Override
        protected String readFields(FieldReader in) {
            reader.set(in);
            String value = null;
            while (in.next()) {
                if (in.field() == 1) {
                    value = in.readString();
                } else {
                    in.skip();
                }
            }
            return in.require(value, 1, "value");
        }
    }
}
