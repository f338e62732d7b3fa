package io.github.hivemesh.artifact;

import java.util.List;
import java.util.Optional;

/**
 * A key → bytes store for artifacts (peer state, checkpoints, anything a swarm shares).
 *
 * <p>Keys follow {@link ArtifactKeys}: lower-case segments of {@code [a-z0-9._-]} joined by
 * {@code /}, so a key is the same on every file system and can never name a path outside the
 * store. A key that breaks the rules is refused with {@link InvalidArtifactKeyException}; use
 * {@link ArtifactKeys#segment(String)} to turn arbitrary ids into key segments.
 *
 * <p>Implementations are thread-safe. {@link #store} replaces a value atomically: a concurrent
 * {@link #retrieve} returns the old bytes or the new ones, never a mix, and never bytes that
 * fail verification (those raise {@link ArtifactCorruptedException}). The file store blocks on
 * disk I/O (including {@code fsync}); don't call it on a thread that must not block.
 */
public interface ArtifactStorage {

    /**
     * The default size limit of one artifact, 64 MiB, in both stores: a larger
     * {@link #store} is refused with {@link ArtifactTooLargeException}.
     */
    int DEFAULT_MAX_ARTIFACT_BYTES = 64 << 20;

    /**
     * Stores {@code bytes} under {@code key}, replacing any previous value. The caller may reuse
     * the array afterwards (the store keeps its own copy or has written it out).
     *
     * @param key the key
     * @param bytes the encoded bytes
     * @throws InvalidArtifactKeyException if the key breaks the {@link ArtifactKeys} rules
     * @throws ArtifactTooLargeException   if the bytes exceed the store's size limit
     * @throws ArtifactStorageException    if the bytes could not be stored (nothing changed)
     */
    void store(String key, byte[] bytes);

    /**
     * {@return the bytes stored under {@code key} (a fresh copy), or empty when there are none}
     *
     * @param key the key
     * @throws ArtifactCorruptedException if stored bytes exist but fail verification
     */
    Optional<byte[]> retrieve(String key);

    /**
     * Deletes the value under {@code key}; false when there was none.
     *
     * @param key the key
     * @return whether a value was deleted
     */
    boolean delete(String key);

    /**
     * {@return keys starting with {@code prefix} ({@code ""} for all), in ascending order} A
     * snapshot: keys stored or deleted meanwhile may or may not appear.
     *
     * @param prefix the keys' common beginning, or {@code ""} for every key
     * @throws InvalidArtifactKeyException if the prefix has characters no key can have
     */
    List<String> list(String prefix);
}
