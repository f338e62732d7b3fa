package io.github.hivemesh.internal.util;

import java.util.concurrent.CompletableFuture;

/**
 * A completed {@code CompletableFuture<Void>} that cannot be changed afterwards, so one instance
 * can be shared by every successful send on the broker's fast path without allocating.
 *
 * <p>All the methods that would complete, cancel or overwrite it throw
 * {@link UnsupportedOperationException}; everything that only reads or chains works as usual.
 */
public final class AcceptedFuture extends CompletableFuture<Void> {

    /** The shared instance. */
    public static final CompletableFuture<Void> INSTANCE = new AcceptedFuture();

    private AcceptedFuture() {
        super.complete(null);
    }

    @Override
    public boolean complete(Void value) {
        throw unsupported();
    }

    @Override
    public boolean completeExceptionally(Throwable ex) {
        throw unsupported();
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        throw unsupported();
    }

    @Override
    public void obtrudeValue(Void value) {
        throw unsupported();
    }

    @Override
    public void obtrudeException(Throwable ex) {
        throw unsupported();
    }

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        return new CompletableFuture<>();
    }

    private static UnsupportedOperationException unsupported() {
        return new UnsupportedOperationException("the shared accepted future is read-only");
    }
}
