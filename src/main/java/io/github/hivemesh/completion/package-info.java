/**
 * Exact completion detection: {@link io.github.hivemesh.completion.IDistributedCompletionDetector}
 * (Dijkstra–Scholten, for the mesh, driven by peers from inside their mailboxes) and
 * {@link io.github.hivemesh.completion.CountingCompletionDetector} (tasks created vs. ended, for
 * the hierarchy), both behind {@link io.github.hivemesh.completion.ICompletionDetector}.
 * See {@code docs/completion.md}.
 */
package io.github.hivemesh.completion;
