package io.github.hivemesh.langchain4j;

import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.Result;
import dev.langchain4j.service.SystemMessage;
import dev.langchain4j.service.UserMessage;
import io.github.hivemesh.CoordinatorFactory;
import io.github.hivemesh.ICoordinator;
import io.github.hivemesh.SwarmConfig;
import io.github.hivemesh.agent.AgentDefinition;
import io.github.hivemesh.agent.TokenSavings;
import io.github.hivemesh.task.TaskContext;
import io.github.hivemesh.task.Task;
import io.github.hivemesh.task.TaskResult;
import java.time.Duration;
import java.util.List;

/**
 * The example of docs/langchain4j.md, verbatim: a lead model that delegates to two reviewer
 * models. {@code main} talks to an OpenAI-compatible endpoint; {@link ReviewSwarmExampleTest}
 * runs {@link #review} with scripted models.
 */
public final class ReviewSwarmExample {

    private ReviewSwarmExample() {
    }

    /** Reviews a diff against a real model: OPENAI_BASE_URL, OPENAI_API_KEY, OPENAI_MODEL. */
    public static void main(String[] args) {
        ChatModel model = OpenAiChatModel.builder()
                .baseUrl(System.getenv().getOrDefault("OPENAI_BASE_URL",
                        "http://localhost:11434/v1"))          // a local Ollama, say
                .apiKey(System.getenv().getOrDefault("OPENAI_API_KEY", "none"))
                .modelName(System.getenv().getOrDefault("OPENAI_MODEL", "llama3.1"))
                .timeout(Duration.ofMinutes(2))
                .build();
        System.out.println(review(model, model, "- if (user == null) return;\n+ return;"));
    }

    /** Runs one review: the lead delegates to security and style reviewers. */
    public static String review(ChatModel leadModel, ChatModel reviewerModel, String diff) {
        try (ICoordinator swarm = CoordinatorFactory.createWithTopology(SwarmConfig.builder()
                .maxAgents(3).checkpointsEnabled(true).build())) {
            swarm.initialize().join();
            swarm.spawnAgents(List.of(
                    ChatAgent.builder().id("lead").capabilities("review")
                            .chatModel(leadModel)
                            .systemPrompt("You lead a code review. Ask the security and the "
                                    + "style reviewer with delegate_task, then write one "
                                    + "short verdict.")
                            .delegateTo("security", "style")
                            .build(),
                    ChatAgent.builder().id("security").capabilities("security")
                            .chatModel(reviewerModel)
                            .systemPrompt("You review diffs for security bugs only.")
                            .build(),
                    ChatAgent.builder().id("style").capabilities("style")
                            .chatModel(reviewerModel)
                            .systemPrompt("You review diffs for naming and style only.")
                            .build())).join();

            TaskResult verdict = swarm.submitTask(Task.builder().type("review")
                    .requiredCapabilities("review").payload(diff).build()).join();
            swarm.waitForCompletion(Duration.ofMinutes(5)).join();

            TokenSavings tokens = swarm.queryController().getMeshTokenSavings(swarm.swarmId());
            return verdict.output() + "\n(tokens: " + tokens.inputTokens() + " in, "
                    + tokens.outputTokens() + " out)";
        }
    }

    /** The lead as an AiServices interface. */
    public interface Lead {
        /** Reviews a diff. */
        @SystemMessage("You lead a code review. Ask the security reviewer, then give a verdict.")
        Result<String> review(@UserMessage String diff);
    }

    /**
     * LangChain4j calls a {@code @Tool} method synchronously: this one blocks its worker thread
     * until the subtask has ended (ChatAgent's own loop does not).
     */
    public static final class SwarmTools {
        private final TaskContext context;

        SwarmTools(TaskContext context) {
            this.context = context;
        }

        /** Hands a subtask to the swarm and waits for its answer. */
        @Tool("Hands a subtask to the agent of the swarm with the capability; returns its answer")
        public String delegateTask(@P("the capability") String capability,
                @P("the subtask, stated fully") String task) {
            return String.valueOf(context.delegate(Task.builder().type(capability)
                    .requiredCapabilities(capability).payload(task).build()).join().output());
        }
    }

    /** The same lead through AiServices: a session of its own, tokens reported by hand. */
    public static AgentDefinition aiServicesLead(ChatModel model) {
        return AgentDefinition.builder().id("lead").capabilities("review").session(ctx -> {
            Lead lead = AiServices.builder(Lead.class).chatModel(model)
                    .tools(new SwarmTools(ctx)).build();
            Result<String> verdict = lead.review(String.valueOf(ctx.task().payload()));
            ctx.recordTokens(verdict.tokenUsage().inputTokenCount(),
                    verdict.tokenUsage().outputTokenCount());
            return verdict.content();
        }).build();
    }
}
