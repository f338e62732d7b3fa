package io.github.hivemesh.artifact;

/**
 * Stored bytes failed verification (bad header, wrong length, checksum mismatch): the artifact
 * is damaged or truncated, and its bytes are never returned as data.
 */
public class ArtifactCorruptedException extends ArtifactStorageException {

    private static final long serialVersionUID = 1L;

    private final String key;
    private final String reason;

    /** An exception naming the artifact and what failed. */
    public ArtifactCorruptedException(String key, String reason) {
        super("artifact '" + key + "' is corrupted: " + reason);
        this.key = key;
        this.reason = reason;
    }

    /** What was found wrong with it. */
    public String reason() {
        return reason;
    }

    /** The key of the damaged artifact. */
    public String key() {
        return key;
    }
}
