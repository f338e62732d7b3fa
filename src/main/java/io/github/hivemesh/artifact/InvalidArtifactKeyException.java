package io.github.hivemesh.artifact;

/** An artifact key breaks the rules of {@link ArtifactKeys}; nothing was read or written. */
public class InvalidArtifactKeyException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String key;
    private final String rule;

    /** An exception naming the key and the rule it breaks. */
    public InvalidArtifactKeyException(String key, String rule) {
        super("invalid artifact key '" + key + "': " + rule);
        this.key = key;
        this.rule = rule;
    }

    /** The rule the key breaks. */
    public String rule() {
        return rule;
    }

    /** The refused key. */
    public String key() {
        return key;
    }
}
