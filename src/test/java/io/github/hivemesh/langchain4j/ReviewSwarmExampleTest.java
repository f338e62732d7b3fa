package io.github.hivemesh.langchain4j;

import static io.github.hivemesh.langchain4j.Scripted.afterTools;
import static io.github.hivemesh.langchain4j.Scripted.answer;
import static io.github.hivemesh.langchain4j.Scripted.call;
import static io.github.hivemesh.langchain4j.Scripted.delegate;
import static io.github.hivemesh.langchain4j.Scripted.toolResults;
import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.data.message.SystemMessage;
import io.github.hivemesh.CoordinatorFactory;
import io.github.hivemesh.ICoordinator;
import io.github.hivemesh.SwarmConfig;
import io.github.hivemesh.agent.TokenSavings;
import io.github.hivemesh.task.Task;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The docs' example runs as written (scripted models in place of the endpoint). */
class ReviewSwarmExampleTest {

    @Test
    void theDocsExample_reviewsADiff_throughItsReviewers() {
        Scripted.Chat lead = Scripted.chat(request -> afterTools(request)
                ? answer("verdict: " + String.join("; ", toolResults(request)), 200, 20)
                : call(100, 10, delegate("security", "is dropping the null check safe?"),
                        delegate("style", "naming?")));
        Scripted.Chat reviewers = Scripted.chat(request ->
                ((SystemMessage) request.messages().get(0)).text().contains("security")
                        ? answer("null check removed: unsafe", 50, 5)
                        : answer("fine", 30, 3));

        String review = ReviewSwarmExample.review(lead, reviewers, "- a\n+ b");

        assertThat(review).isEqualTo("verdict: null check removed: unsafe; fine\n"
                + "(tokens: 380 in, 38 out)");
    }

    @Test
    void theAiServicesLead_delegatesThroughItsBlockingTool_andReportsItsTokens() {
        Scripted.Chat lead = Scripted.chat(request -> afterTools(request)
                ? answer("verdict: " + toolResults(request).get(0), 200, 20)
                : call(100, 10, Scripted.tool("delegateTask",
                        "{\"capability\":\"security\",\"task\":\"null check?\"}")));
        try (ICoordinator swarm = CoordinatorFactory.createWithTopology(SwarmConfig.builder()
                .maxAgents(2).build())) {
            swarm.initialize().join();
            swarm.spawnAgent(ReviewSwarmExample.aiServicesLead(lead)).join();
            swarm.spawnAgent(ChatAgent.builder().id("security").capabilities("security")
                    .chatModel(Scripted.chat(request -> answer("unsafe: "
                            + Scripted.lastUserText(request), 5, 1))).build()).join();

            Object verdict = swarm.submitTask(Task.builder().type("review")
                    .requiredCapabilities("review").payload("- a").build()).join().output();
            assertThat(swarm.waitForCompletion(Duration.ofSeconds(30)).join()).isTrue();

            assertThat(verdict).isEqualTo("verdict: unsafe: null check?");
            TokenSavings tokens = swarm.queryController().getTokenSavings("lead");
            assertThat(tokens.inputTokens()).isEqualTo(300);
            assertThat(tokens.outputTokens()).isEqualTo(30);
        }
    }
}
