package io.github.hivemesh.artifact;

/**
 * Stored bytes failed verification (bad header, wrong length, checksum mismatch): the artifact
 * is damaged or truncated, and its bytes are never returned as data.
 */
public class ArtifactCorruptedException extends ArtifactStorageException {

    private static final long serialVersionUID = 1L;

    private final String key;

    /** An exception naming the artifact and what failed. */
    public ArtifactCorruptedException(String key, String reason) {
        super("artifact '" + key + "' is corrupted: " + reason);
        this.key = key;
    }

    /** The key of the damaged artifact. */
    public String key() {
        return key;
    }
}
