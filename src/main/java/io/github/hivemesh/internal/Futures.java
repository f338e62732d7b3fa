package io.github.hivemesh.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Small combinators over {@code CompletableFuture} the coordinators share. */
public final class Futures {

    private Futures() {
    }

    /**
     * Completes with every value, in order, once all have completed; fails as soon as the
     * combined future would (with the first failure {@code allOf} reports).
     */
    public static <T> CompletableFuture<List<T>> all(List<CompletableFuture<T>> futures) {
        return CompletableFuture.allOf(futures.toArray(new CompletableFuture<?>[0]))
                .thenApply(done -> {
                    List<T> values = new ArrayList<>(futures.size());
                    futures.forEach(future -> values.add(future.join()));
                    return values;
                });
    }
}
