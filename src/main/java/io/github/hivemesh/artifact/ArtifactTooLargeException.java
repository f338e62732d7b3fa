package io.github.hivemesh.artifact;

/**
 * An artifact given to {@link ArtifactStorage#store} is larger than the store's
 * {@code maxArtifactBytes}; nothing was stored.
 */
public class ArtifactTooLargeException extends ArtifactStorageException {

    private static final long serialVersionUID = 1L;

    private final String key;
    private final long size;
    private final long limit;

    /** An exception naming the artifact, its size and the limit it exceeds. */
    public ArtifactTooLargeException(String key, long size, long limit) {
        super("artifact '" + key + "' is " + size + " bytes, more than the store's limit of "
                + limit + " (maxArtifactBytes)");
        this.key = key;
        this.size = size;
        this.limit = limit;
    }

    /** The key of the refused artifact. */
    public String key() {
        return key;
    }

    /** Its size in bytes. */
    public long size() {
        return size;
    }

    /** The store's limit in bytes. */
    public long limit() {
        return limit;
    }
}
