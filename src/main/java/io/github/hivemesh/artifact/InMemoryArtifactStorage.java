package io.github.hivemesh.artifact;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * An {@link ArtifactStorage} in this JVM's heap: fast, and gone when the JVM exits. Keys follow
 * the same {@link ArtifactKeys} rules as the file store, so code moves between the two
 * unchanged. Values are copied in and out, so callers cannot change what is stored.
 *
 * <p>Like the file store, it refuses an artifact larger than its {@link #maxArtifactBytes()}
 * (default {@value ArtifactStorage#DEFAULT_MAX_ARTIFACT_BYTES} bytes) with
 * {@link ArtifactTooLargeException}, so code that works against one works against the other.
 *
 * <p>Thread-safe and non-blocking (a concurrent sorted map).
 */
public final class InMemoryArtifactStorage implements ArtifactStorage {

    private final ConcurrentSkipListMap<String, byte[]> artifacts = new ConcurrentSkipListMap<>();
    private final int maxArtifactBytes;

    /** An empty store with the default size limit. */
    public InMemoryArtifactStorage() {
        this(DEFAULT_MAX_ARTIFACT_BYTES);
    }

    /**
     * An empty store whose artifacts are at most {@code maxArtifactBytes}, in
     * [1, {@code Integer.MAX_VALUE - 16}] (the file store's range).
     *
     * @param maxArtifactBytes the largest artifact this store accepts
     * @throws IllegalArgumentException naming the value and the range
     */
    public InMemoryArtifactStorage(int maxArtifactBytes) {
        this.maxArtifactBytes = ArtifactSizeLimit.validate(maxArtifactBytes);
    }

    /** {@return the largest artifact this store accepts} */
    public int maxArtifactBytes() {
        return maxArtifactBytes;
    }

    @Override
    public void store(String key, byte[] bytes) {
        ArtifactKeys.validate(key);
        Objects.requireNonNull(bytes, "bytes");
        ArtifactSizeLimit.check(key, bytes, maxArtifactBytes);
        artifacts.put(key, bytes.clone());
    }

    @Override
    public Optional<byte[]> retrieve(String key) {
        ArtifactKeys.validate(key);
        byte[] bytes = artifacts.get(key);
        return bytes == null ? Optional.empty() : Optional.of(bytes.clone());
    }

    @Override
    public boolean delete(String key) {
        ArtifactKeys.validate(key);
        return artifacts.remove(key) != null;
    }

    @Override
    public List<String> list(String prefix) {
        ArtifactKeys.validatePrefix(prefix);
        List<String> keys = new ArrayList<>();
        for (Map.Entry<String, byte[]> entry : artifacts.tailMap(prefix, true).entrySet()) {
            if (!entry.getKey().startsWith(prefix)) {
                break;
            }
            keys.add(entry.getKey());
        }
        return keys;
    }

    /** {@return number of stored artifacts} */
    public int size() {
        return artifacts.size();
    }
}
