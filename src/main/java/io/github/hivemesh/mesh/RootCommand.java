package io.github.hivemesh.mesh;

import io.github.hivemesh.internal.TaskRecord;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What the mesh's root is told from inside its own JVM (see {@link PeerCommand}).
 */
sealed interface RootCommand extends MeshCommand {

    /** A task with dependencies, held at the root until they complete. */
    record Submit(TaskRecord record) implements RootCommand {
        @Override
        public String type() {
            return "mesh.submit";
        }
    }

    /**
     * The lookups of a task's dependencies on other members ({@link RemoteDependencies}) have
     * all ended: it enters the keeper, or fails with the first lookup's failure.
     */
    record Resolved(TaskRecord record, List<CompletableFuture<Void>> lookups)
            implements RootCommand {
        @Override
        public String type() {
            return "mesh.resolved";
        }
    }

    /** A task the root's dependency keeper watches has settled. */
    record Finished(TaskRecord record) implements RootCommand {
        @Override
        public String type() {
            return "mesh.finished";
        }
    }

    /** Resend what the broker refused for mailbox space. */
    record Retry() implements RootCommand {
        static final Retry INSTANCE = new Retry();

        @Override
        public String type() {
            return "mesh.root-retry";
        }
    }
}
