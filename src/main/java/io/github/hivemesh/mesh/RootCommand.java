package io.github.hivemesh.mesh;

import io.github.hivemesh.internal.TaskRecord;

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
