package io.github.hivemesh.artifact;

/**
 * An artifact given to {@link ArtifactStorage#store} is larger than the store's
 * {@code maxArtifactBytes}; nothing was stored.
 */
public class ArtifactTooLargeException extends ArtifactStorageException {

    private static final long serialVersionUID = 1L;

    /** The key of the refused artifact. */
    private final String key;
    /** Its size in bytes. */
    private final long size;
    /** The store's limit in bytes. */
    private final long limit;

    /**
     * An exception naming the artifact, its size and the limit it exceeds.
     *
     * @param key the key of the refused artifact
     * @param size its size in bytes
     * @param limit the store's limit in bytes
     */
    public ArtifactTooLargeException(String key, long size, long limit) {
        super("artifact '" + key + "' is " + size + " bytes, more than the store's limit of "
                + limit + " (maxArtifactBytes)");
        this.key = key;
        this.size = size;
        this.limit = limit;
    }

    /** {@return the key of the refused artifact} */
    public String key() {
        return key;
    }

    /** {@return its size in bytes} */
    public long size() {
        return size;
    }

    /** {@return the store's limit in bytes} */
    public long limit() {
        return limit;
    }
}
