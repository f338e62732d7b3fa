package io.github.hivemesh.testing;

import java.util.List;
import java.util.stream.Collectors;

/** Finds the library's live threads, for the "no thread left after close()" assertions. */
public final class Threads {

    private Threads() {
    }

    /** Names of live threads whose name starts with {@code prefix}. */
    public static List<String> alive(String prefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(name -> name.startsWith(prefix))
                .sorted()
                .collect(Collectors.toList());
    }
}
