package io.github.hivemesh.artifact;

/** An artifact key breaks the rules of {@link ArtifactKeys}; nothing was read or written. */
public class InvalidArtifactKeyException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** The refused key. */
    private final String key;
    /** The rule the key breaks. */
    private final String rule;

    /**
     * An exception naming the key and the rule it breaks.
     *
     * @param key the refused key
     * @param rule the rule the key breaks
     */
    public InvalidArtifactKeyException(String key, String rule) {
        super("invalid artifact key '" + key + "': " + rule);
        this.key = key;
        this.rule = rule;
    }

    /** {@return the rule the key breaks} */
    public String rule() {
        return rule;
    }

    /** {@return the refused key} */
    public String key() {
        return key;
    }
}
