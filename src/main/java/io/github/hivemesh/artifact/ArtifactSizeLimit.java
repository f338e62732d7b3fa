package io.github.hivemesh.artifact;

import static io.github.hivemesh.internal.util.Preconditions.checkRange;

/** The size limit both stores apply, checked the same way. Stateless. */
final class ArtifactSizeLimit {

    /** Largest configurable limit: the payload plus the file header must fit in an array. */
    static final int MAX = Integer.MAX_VALUE - ArtifactFileFormat.HEADER_BYTES;

    private ArtifactSizeLimit() {
    }

    /** Validates a store's {@code maxArtifactBytes}, in [1, {@link #MAX}]. */
    static int validate(int maxArtifactBytes) {
        return checkRange("maxArtifactBytes", maxArtifactBytes, 1, MAX);
    }

    /** Refuses {@code bytes} larger than {@code maxArtifactBytes}. */
    static void check(String key, byte[] bytes, int maxArtifactBytes) {
        if (bytes.length > maxArtifactBytes) {
            throw new ArtifactTooLargeException(key, bytes.length, maxArtifactBytes);
        }
    }
}
