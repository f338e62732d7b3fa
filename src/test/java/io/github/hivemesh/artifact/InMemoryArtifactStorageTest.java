package io.github.hivemesh.artifact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class InMemoryArtifactStorageTest extends ArtifactStorageContract {

    @Override
    ArtifactStorage storage() {
        return new InMemoryArtifactStorage();
    }

    @Test
    void size_countsStoredArtifacts() {
        InMemoryArtifactStorage storage = new InMemoryArtifactStorage();
        storage.store("a", new byte[1]);
        storage.store("b", new byte[1]);

        assertThat(storage.size()).isEqualTo(2);
    }

    @Test
    void store_beyondTheSizeLimit_isRefusedLikeTheFileStore() {
        InMemoryArtifactStorage storage = new InMemoryArtifactStorage(3);
        storage.store("fits", new byte[3]);

        assertThatThrownBy(() -> storage.store("k", new byte[4]))
                .isInstanceOf(ArtifactTooLargeException.class)
                .hasMessage("artifact 'k' is 4 bytes, more than the store's limit of 3"
                        + " (maxArtifactBytes)");
        assertThat(storage.list("")).containsExactly("fits");
        assertThat(storage.maxArtifactBytes()).isEqualTo(3);
        assertThat(new InMemoryArtifactStorage().maxArtifactBytes())
                .isEqualTo(ArtifactStorage.DEFAULT_MAX_ARTIFACT_BYTES);
        assertThatThrownBy(() -> new InMemoryArtifactStorage(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxArtifactBytes must be in [1, 2147483631], was 0");
    }
}
