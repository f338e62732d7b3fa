package io.github.hivemesh.memory;

/** A memory entry id that the manager does not hold (never remembered, or evicted). */
public class UnknownMemoryEntryException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The id that was not found. */
    private final String entryId;

    /**
     * An exception naming the entry.
     *
     * @param entryId the id that was not found
     */
    public UnknownMemoryEntryException(String entryId) {
        super("unknown memory entry '" + entryId + "' (never remembered, or evicted)");
        this.entryId = entryId;
    }

    /** {@return the id that was not found} */
    public String entryId() {
        return entryId;
    }
}
