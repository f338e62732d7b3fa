package io.github.hivemesh.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.hivemesh.Topology;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's first command keeps working: the demo runs to an exact completion. */
class CodeReviewDemoTest {

    @Test
    void reviewsThisRepository_andEveryTaskEnds() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodeReviewDemo.Report report = CodeReviewDemo.run(new CodeReviewDemo.Options(
                Path.of("."), 30, Duration.ZERO, false),
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
        String printed = bytes.toString(StandardCharsets.UTF_8);
        assertThat(printed).contains("== Report ==").contains("Completion          detected");
    }

    @Test
    void withoutACheckout_reviewsTheBuiltInSample(@TempDir Path empty) {
        CodeReviewDemo.Report report = CodeReviewDemo.run(new CodeReviewDemo.Options(
                empty, 10, Duration.ZERO, false), new PrintStream(new ByteArrayOutputStream(),
                true, StandardCharsets.UTF_8));

        assertThat(report.completed()).isTrue();
        assertThat(report.files()).isEqualTo(3);
        // Counter.java uses volatile: one audit, besides the lead and three file reviews
        assertThat(report.metrics().tasksSubmitted()).isEqualTo(5);
        assertThat(report.findings()).extracting(Finding::kind)
                .contains("unresolved TODO", "public type without Javadoc");
    }
}
