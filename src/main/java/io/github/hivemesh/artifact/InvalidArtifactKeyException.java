package io.github.hivemesh.artifact;

/** An artifact key breaks the rules of {@link ArtifactKeys}; nothing was read or written. */
public class InvalidArtifactKeyException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String key;

    /** An exception naming the key and the rule it breaks. */
    public InvalidArtifactKeyException(String key, String rule) {
        super("invalid artifact key '" + key + "': " + rule);
        this.key = key;
    }

    /** The refused key. */
    public String key() {
        return key;
    }
}
