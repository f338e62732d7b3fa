package io.github.hivemesh.demo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * The demo's command line, parsed and checked: a bad option is a {@link BadOptionException}
 * whose message is the one line the demo prints before exiting with status 2. Immutable.
 *
 * @param help             {@code --help} was given: print {@link #USAGE} and do nothing else
 * @param root             the directory whose {@code src/main/java} and {@code docs} are reviewed
 * @param sample           review the built-in sample instead of {@code root}
 * @param files            at most this many files are reviewed
 * @param thinkPer100Lines simulated model latency per 100 lines of a file
 * @param live             progress redraws one line (a terminal) instead of printing lines
 * @param model            the model the reviewers ask ({@code --model}); empty: simulated
 *                         reviewers
 * @param modelUrl         the OpenAI-compatible endpoint of {@code model}
 */
record DemoOptions(boolean help, Path root, boolean sample, int files, Duration thinkPer100Lines,
        boolean live, Optional<String> model, String modelUrl) {

    /** The endpoint when neither {@code --model-url} nor {@code OPENAI_BASE_URL} says one. */
    static final String DEFAULT_MODEL_URL = "https://api.openai.com/v1";

    static final int MAX_FILES = 10_000;
    static final long MAX_THINK_MS = 10_000;

    static final String USAGE = """
            Usage: mvn -q test-compile exec:java [-Dexec.args="OPTIONS"]

            A code-review swarm on HiveMesh's in-process default: a lead reviewer splits a change
            set into per-file reviews, reviewers pick them up by capability and delegate
            concurrency audits, and the run ends with a report.

            Options:
              --root DIR      review the Java files under DIR/src/main/java and the Markdown
                              files under DIR/docs (default: the current directory, which is
                              this repository when run from its checkout)
              --files N       review at most N files, 1 to %d (default 60)
              --think-ms MS   simulated model latency per 100 lines of a file, 0 to %d
                              (default 60)
              --sample        review a built-in sample of 3 small files instead of a directory
              --model NAME    reviewers ask this model too (an OpenAI-compatible endpoint;
                              the API key comes from OPENAI_API_KEY); without it the
                              reviewers' model is simulated
              --model-url URL the endpoint (default: OPENAI_BASE_URL, else %s;
                              a local Ollama is http://localhost:11434/v1)
              -h, --help      print this and exit

            Exit status: 0 when completion was detected, 1 when it was not before the timeout,
            2 for a bad option or a --root without files to review.
            """.formatted(MAX_FILES, MAX_THINK_MS, DEFAULT_MODEL_URL);

    /** A bad command line; its message is one line, fit to print as it is. */
    static final class BadOptionException extends IllegalArgumentException {

        private static final long serialVersionUID = 1L;

        BadOptionException(String message) {
            super(message);
        }
    }

    /**
     * Parses {@code args}; {@code live} says whether output goes to a terminal.
     *
     * @throws BadOptionException naming the option and the value at fault
     */
    static DemoOptions parse(String[] args, boolean live) {
        boolean help = false;
        boolean sample = false;
        Path root = null;
        int files = 60;
        long thinkMs = 60;
        String model = null;
        String modelUrl = null;
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (!option.equals("-h") && !option.equals("--help") && !seen.add(option)) {
                throw new BadOptionException(option + " is given twice");
            }
            switch (option) {
                case "-h", "--help" -> help = true;
                case "--sample" -> sample = true;
                case "--root" -> root = Path.of(value(args, ++i, option));
                case "--files" -> files = (int) number(value(args, ++i, option), option, 1,
                        MAX_FILES);
                case "--think-ms" -> thinkMs = number(value(args, ++i, option), option, 0,
                        MAX_THINK_MS);
                case "--model" -> model = value(args, ++i, option);
                case "--model-url" -> modelUrl = value(args, ++i, option);
                default -> throw new BadOptionException("unknown option '" + option + "'");
            }
        }
        if (modelUrl != null && model == null) {
            throw new BadOptionException("--model-url needs --model: which model to ask");
        }
        String url = modelUrl != null ? modelUrl
                : Optional.ofNullable(System.getenv("OPENAI_BASE_URL")).orElse(DEFAULT_MODEL_URL);
        if (help) {
            return new DemoOptions(true, Path.of("."), false, files, Duration.ofMillis(thinkMs),
                    live, Optional.ofNullable(model), url);
        }
        if (sample && root != null) {
            throw new BadOptionException("--sample and --root exclude each other: the sample is "
                    + "built in");
        }
        Path dir = root == null ? Path.of(".") : root;
        if (!sample && !Files.isDirectory(dir)) {
            throw new BadOptionException("--root " + dir + ": no such directory");
        }
        return new DemoOptions(false, dir, sample, files, Duration.ofMillis(thinkMs), live,
                Optional.ofNullable(model), url);
    }

    private static String value(String[] args, int index, String option) {
        if (index >= args.length || args[index].startsWith("--")) {
            throw new BadOptionException(option + " needs a value");
        }
        return args[index];
    }

    private static long number(String text, String option, long min, long max) {
        long value;
        try {
            value = Long.parseLong(text);
        } catch (NumberFormatException e) {
            value = Long.MIN_VALUE;
        }
        if (value < min || value > max) {
            throw new BadOptionException(option + " must be a whole number from " + min + " to "
                    + max + ", got '" + text + "'");
        }
        return value;
    }
}
