package io.github.hivemesh.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The demo's command line, run in-process through {@link CodeReviewDemo#run} (what {@code main}
 * hands to {@code System.exit}): usage, one-line errors with status 2, and real runs.
 */
class CodeReviewDemoCliTest {

    /** What one run printed and returned. */
    private record Outcome(int status, String out, String err) {

        List<String> errLines() {
            return err.lines().toList();
        }
    }

    private static Outcome run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = CodeReviewDemo.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Outcome(status, out.toString(StandardCharsets.UTF_8),
                err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void help_printsUsage_andExitsZero() {
        for (String flag : new String[] {"--help", "-h"}) {
            Outcome outcome = run("--files", "5", flag);

            assertThat(outcome.status()).isZero();
            assertThat(outcome.err()).isEmpty();
            assertThat(outcome.out()).startsWith("Usage: ").contains("--root DIR", "--files N",
                    "--think-ms MS", "--sample", "--help", "Exit status");
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "--bogus                  | unknown option '--bogus'",
        "extra                    | unknown option 'extra'",
        "--files abc              | --files must be a whole number from 1 to 10000, got 'abc'",
        "--files 0                | --files must be a whole number from 1 to 10000, got '0'",
        "--files 10001            | --files must be a whole number from 1 to 10000, got '10001'",
        "--files 99999999999999999999 | --files must be a whole number from 1 to 10000, got '99999999999999999999'",
        "--think-ms -1            | --think-ms must be a whole number from 0 to 10000, got '-1'",
        "--files                  | --files needs a value",
        "--root --sample          | --root needs a value",
        "--files 5 --files 6      | --files is given twice",
        "--sample --root .        | --sample and --root exclude each other: the sample is built in",
        "--root no/such/directory | --root no/such/directory: no such directory",
        "--model-url http://x     | --model-url needs --model: which model to ask",
        "--model                  | --model needs a value",
    })
    void badOption_isOneLineOnStderr_andStatusTwo(String args, String message) {
        Outcome outcome = run(args.trim().split("\\s+"));

        assertThat(outcome.status()).isEqualTo(CodeReviewDemo.USAGE);
        assertThat(outcome.out()).isEmpty();
        assertThat(outcome.errLines()).containsExactly(
                "code-review demo: " + message + " (--help lists the options)");
    }

    @Test
    void rootWithNothingToReview_isAnError_notTheSample(@TempDir Path empty) {
        Outcome outcome = run("--root", empty.toString());

        assertThat(outcome.status()).isEqualTo(CodeReviewDemo.USAGE);
        assertThat(outcome.out()).isEmpty();
        assertThat(outcome.errLines()).singleElement().asString()
                .startsWith("code-review demo: no .java files under ")
                .endsWith("(--sample reviews a built-in example)");
    }

    @Test
    void simulatedReviewersThenTheSample_areAnnouncedFirst_andReviewed() {
        Outcome outcome = run("--sample", "--think-ms", "0");

        assertThat(outcome.status()).isZero();
        assertThat(outcome.err()).isEmpty();
        assertThat(outcome.out().lines().findFirst()).hasValue("Reviewers are SIMULATED: no "
                + "model configured (--model NAME asks an OpenAI-compatible endpoint)");
        assertThat(outcome.out().lines().skip(1).findFirst()).hasValueSatisfying(first -> assertThat(first)
                .startsWith("Reviewing the BUILT-IN SAMPLE (--sample): 3 small files held in "
                        + "memory, not on disk: sample/Counter.java"));
        assertThat(outcome.out()).contains("e.g. sample/Counter.java:4 unresolved TODO");
    }

    @Test
    void endToEnd_smallReviewOfADirectory_completes_andPointsAtItsFiles(@TempDir Path root)
            throws Exception {
        Path code = Files.createDirectories(root.resolve("src/main/java/demo"));
        Files.write(code.resolve("Todo.java"), List.of(
                "package demo;",
                "",
                "/** Something to do. */",
                "final class Todo {",
                "    // TODO finish",
                "}"));
        Files.createDirectories(root.resolve("docs"));
        Files.write(root.resolve("docs/guide.md"), List.of("# Guide", "See [nothing]()."));

        Outcome outcome = run("--root", root.toString(), "--files", "5", "--think-ms", "0");

        assertThat(outcome.status()).isZero();
        assertThat(outcome.err()).isEmpty();
        assertThat(outcome.out().lines().skip(1).findFirst()).hasValue("Reviewing 2 files under "
                + root.toAbsolutePath().normalize() + " (src/main/java and docs); finding paths "
                + "are relative to it");
        assertThat(outcome.out())
                .contains("== Report ==", "Tasks               3 submitted, 3 completed, 0 failed")
                .contains("after the last execute returned (to the waitForCompletion future)")
                .contains("Findings            2 in 2 files")
                .contains("src/main/java/demo/Todo.java:5 unresolved TODO")
                .contains("docs/guide.md:2 empty link");
    }
}
