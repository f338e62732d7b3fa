package io.github.hivemesh.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.TokenUsage;
import io.github.hivemesh.Topology;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The README's first command keeps working: the demo runs to an exact completion. */
class CodeReviewDemoTest {

    private static DemoOptions options(Path root, int files) {
        return DemoOptions.parse(new String[] {"--root", root.toString(), "--files",
            String.valueOf(files), "--think-ms", "0"}, false);
    }

    @Test
    void reviewsThisRepository_andEveryTaskEnds() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Path root = Path.of(".");
        List<SourceFile> files = SourceFile.scan(root, 30);
        CodeReviewDemo.Report report = CodeReviewDemo.review(files, options(root, 30),
                new PrintStream(bytes, true, StandardCharsets.UTF_8));

        assertThat(report.completed()).isTrue();
        assertThat(report.topology()).isEqualTo(Topology.MESH);
        assertThat(report.files()).isEqualTo(30);
        // the review itself, one review per file, plus the concurrency audits
        assertThat(report.metrics().tasksSubmitted()).isGreaterThan(30);
        assertThat(report.metrics().tasksEnded()).isEqualTo(report.metrics().tasksSubmitted());
        assertThat(report.metrics().tasksFailed()).isZero();
        assertThat(report.tasksByAgent().values().stream().mapToLong(Long::longValue).sum())
                .isEqualTo(report.metrics().tasksSubmitted());
        assertThat(report.detection()).hasValueSatisfying(
                d -> assertThat(d).isGreaterThanOrEqualTo(Duration.ZERO));
        // findings travel as messages: completion waits until the lead has handled each one
        assertThat(report.findingsSent()).isPositive();
        assertThat(report.findings()).hasSize((int) report.findingsSent());
        // the concurrency audits are asynchronous sessions, and ended as tasks
        assertThat(report.tasksByAgent()).containsKey("auditor");
        assertThat(report.tasksByAgent().get("auditor")).isPositive();
        String printed = bytes.toString(StandardCharsets.UTF_8);
        assertThat(printed).contains("== Report ==")
                .contains("after the last execute returned (to the waitForCompletion future)");
    }

    @Test
    void findings_nameFilesAndLinesOfWhatWasReviewed() throws Exception {
        Path root = Path.of(".");
        CodeReviewDemo.Report report = CodeReviewDemo.review(SourceFile.scan(root, 40),
                options(root, 40), new PrintStream(new ByteArrayOutputStream(), true,
                        StandardCharsets.UTF_8));

        assertThat(report.findings()).isNotEmpty();
        for (Finding finding : report.findings()) {
            Path file = root.resolve(finding.file());
            assertThat(file).as(finding.toString()).isRegularFile();
            assertThat(finding.line()).as(finding.toString())
                    .isBetween(1, Files.readAllLines(file).size());
        }
    }

    @Test
    void builtInSample_isReviewedInMemory_underSamplePaths() {
        List<SourceFile> sample = SourceFile.sample();
        CodeReviewDemo.Report report = CodeReviewDemo.review(sample,
                DemoOptions.parse(new String[] {"--sample", "--think-ms", "0"}, false),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));

        assertThat(report.completed()).isTrue();
        assertThat(report.files()).isEqualTo(3);
        // Counter.java uses volatile: one audit, besides the lead and three file reviews
        assertThat(report.metrics().tasksSubmitted()).isEqualTo(5);
        assertThat(report.findings()).extracting(Finding::kind)
                .contains("unresolved TODO", "public type without Javadoc");
        assertThat(report.findings()).extracting(Finding::file)
                .allSatisfy(file -> assertThat(file).startsWith("sample/"))
                .isSubsetOf(sample.stream().map(SourceFile::path).toList());
    }

    /** With a model configured the reviewers really ask it; here a scripted one, no network. */
    @Test
    void withAModel_reviewersSendWhatItFinds_andRecordItsTokens() {
        List<String> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
        ChatModel model = new ChatModel() {
            @Override
            public ChatResponse doChat(ChatRequest request) {
                String file = ((UserMessage) request.messages().get(1)).singleText();
                asked.add(file.lines().findFirst().orElseThrow());
                return ChatResponse.builder()
                        .aiMessage(AiMessage.from("2: suspicious line\nno finding here\n"
                                + "999999: past the end"))
                        .tokenUsage(new TokenUsage(100, 10)).build();
            }
        };
        List<SourceFile> sample = SourceFile.sample();
        CodeReviewDemo.Report report = CodeReviewDemo.review(sample,
                DemoOptions.parse(new String[] {"--sample", "--model", "scripted"}, false),
                Optional.of(model),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));

        assertThat(report.completed()).isTrue();
        assertThat(asked).containsExactlyInAnyOrderElementsOf(
                sample.stream().map(SourceFile::path).toList());
        assertThat(report.findings()).filteredOn(f -> f.kind().equals("model: suspicious line"))
                .extracting(Finding::line).containsOnly(2).hasSize(3);
        assertThat(report.findings()).filteredOn(f -> f.kind().equals("model: past the end"))
                .hasSize(3).allSatisfy(f -> assertThat(f.line()).isEqualTo(
                        sample.stream().filter(s -> s.path().equals(f.file())).findFirst()
                                .orElseThrow().lines().size()));
    }
}
