package io.github.hivemesh.artifact;

/**
 * Stored bytes failed verification (bad header, wrong length, checksum mismatch): the artifact
 * is damaged or truncated, and its bytes are never returned as data.
 */
public class ArtifactCorruptedException extends ArtifactStorageException {

    private static final long serialVersionUID = 1L;

    /** The key of the damaged artifact. */
    private final String key;
    /** What was found wrong with it. */
    private final String reason;

    /**
     * An exception naming the artifact and what failed.
     *
     * @param key the key of the damaged artifact
     * @param reason what was found wrong with it
     */
    public ArtifactCorruptedException(String key, String reason) {
        super("artifact '" + key + "' is corrupted: " + reason);
        this.key = key;
        this.reason = reason;
    }

    /** {@return what was found wrong with it} */
    public String reason() {
        return reason;
    }

    /** {@return the key of the damaged artifact} */
    public String key() {
        return key;
    }
}
