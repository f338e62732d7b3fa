package io.github.hivemesh.internal.util;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Supplier;

/** Small combinators over {@code CompletableFuture} the coordinators share. */
public final class Futures {

    private Futures() {
    }

    /**
     * A future completing as {@code future} does, but failing with the exception itself, not
     * wrapped in the {@code CompletionException} a dependent stage adds: what the API hands out
     * fails with the specific exception (see {@code ICoordinator}).
     */
    public static <T> CompletableFuture<T> unwrapped(CompletableFuture<T> future) {
        if (future.isDone() && !future.isCompletedExceptionally()) {
            return future;
        }
        CompletableFuture<T> plain = new CompletableFuture<>();
        future.whenComplete((value, failure) -> {
            if (failure == null) {
                plain.complete(value);
            } else {
                plain.completeExceptionally(failure instanceof CompletionException wrapped
                        && wrapped.getCause() != null ? wrapped.getCause() : failure);
            }
        });
        return plain;
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

    /**
     * Starts {@code start} for every item, spread in slices over up to twice the available
     * processors on {@code executor} (in the calling thread when there is one slice), and
     * completes with every result, in the items' order, once all have completed. A slice the
     * executor accepts and then drops (a {@code shutdownNow}) leaves the result pending: a
     * caller whose executor can stop tracks the result.
     */
    public static <T, R> CompletableFuture<List<R>> forkEach(List<T> items, Executor executor,
            Function<T, CompletableFuture<R>> start) {
        int forks = Math.max(1, Math.min(items.size(),
                2 * Runtime.getRuntime().availableProcessors()));
        List<CompletableFuture<List<CompletableFuture<R>>>> slices = new ArrayList<>(forks);
        for (int fork = 0; fork < forks; fork++) {
            List<T> slice = items.subList(fork * items.size() / forks,
                    (fork + 1) * items.size() / forks);
            Supplier<List<CompletableFuture<R>>> run = () -> {
                List<CompletableFuture<R>> started = new ArrayList<>(slice.size());
                slice.forEach(item -> started.add(start.apply(item)));
                return started;
            };
            slices.add(forks == 1 ? CompletableFuture.completedFuture(run.get())
                    : CompletableFuture.supplyAsync(run, executor));
        }
        return all(slices).thenCompose(started -> {
            List<CompletableFuture<R>> results = new ArrayList<>(items.size());
            started.forEach(results::addAll);
            return all(results);
        });
    }
}
