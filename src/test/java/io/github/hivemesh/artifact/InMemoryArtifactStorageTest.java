package io.github.hivemesh.artifact;

import static org.assertj.core.api.Assertions.assertThat;

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
}
