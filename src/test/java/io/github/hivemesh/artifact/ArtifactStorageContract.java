package io.github.hivemesh.artifact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What every {@link ArtifactStorage} does; each implementation's test extends this. */
abstract class ArtifactStorageContract {

    /** A fresh, empty store. */
    abstract ArtifactStorage storage();

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void retrieve_afterStore_returnsTheBytes() {
        ArtifactStorage storage = storage();
        storage.store("a/b", bytes("hello"));

        assertThat(storage.retrieve("a/b")).hasValueSatisfying(v -> assertThat(v).isEqualTo(bytes("hello")));
        assertThat(storage.retrieve("a/c")).isEmpty();
    }

    @Test
    void store_emptyPayload_roundTrips() {
        ArtifactStorage storage = storage();
        storage.store("empty", new byte[0]);

        assertThat(storage.retrieve("empty")).hasValueSatisfying(v -> assertThat(v).isEmpty());
    }

    @Test
    void store_again_replacesTheValue() {
        ArtifactStorage storage = storage();
        storage.store("k", bytes("one"));
        storage.store("k", bytes("two"));

        assertThat(storage.retrieve("k")).hasValueSatisfying(v -> assertThat(v).isEqualTo(bytes("two")));
        assertThat(storage.list("")).containsExactly("k");
    }

    @Test
    void storedBytes_areIsolatedFromCallerArrays() {
        ArtifactStorage storage = storage();
        byte[] input = bytes("abc");
        storage.store("k", input);
        input[0] = 'X';
        storage.retrieve("k").orElseThrow()[1] = 'Y';

        assertThat(storage.retrieve("k")).hasValueSatisfying(v -> assertThat(v).isEqualTo(bytes("abc")));
    }

    @Test
    void delete_removesOnlyThatKey() {
        ArtifactStorage storage = storage();
        storage.store("a", bytes("1"));
        storage.store("b", bytes("2"));

        assertThat(storage.delete("a")).isTrue();
        assertThat(storage.delete("a")).isFalse();
        assertThat(storage.retrieve("a")).isEmpty();
        assertThat(storage.list("")).containsExactly("b");
    }

    @Test
    void list_returnsKeysWithThePrefixInOrder() {
        ArtifactStorage storage = storage();
        storage.store("peer/s1/b", bytes("x"));
        storage.store("peer/s1/a", bytes("x"));
        storage.store("peer/s2/a", bytes("x"));
        storage.store("task/1", bytes("x"));

        assertThat(storage.list("peer/s1/")).containsExactly("peer/s1/a", "peer/s1/b");
        assertThat(storage.list("peer/")).containsExactly("peer/s1/a", "peer/s1/b", "peer/s2/a");
        assertThat(storage.list("")).hasSize(4);
        assertThat(storage.list("zzz")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"../escape", "/etc/passwd", "a/../../b", "..", "A", "a\\b"})
    void everyOperation_traversalKey_isRejected(String key) {
        ArtifactStorage storage = storage();
        assertThatThrownBy(() -> storage.store(key, bytes("x")))
                .isInstanceOf(InvalidArtifactKeyException.class);
        assertThatThrownBy(() -> storage.retrieve(key))
                .isInstanceOf(InvalidArtifactKeyException.class);
        assertThatThrownBy(() -> storage.delete(key))
                .isInstanceOf(InvalidArtifactKeyException.class);
        assertThat(storage.list("")).isEmpty();
    }

    @Test
    void list_prefixWithForeignCharacters_isRejected() {
        assertThatThrownBy(() -> storage().list("Peer/"))
                .isInstanceOf(InvalidArtifactKeyException.class);
    }

    @Test
    void nullArguments_areRejectedByName() {
        ArtifactStorage storage = storage();
        assertThatThrownBy(() -> storage.store(null, new byte[0])).hasMessage("key");
        assertThatThrownBy(() -> storage.store("k", null)).hasMessage("bytes");
        assertThatThrownBy(() -> storage.retrieve(null)).hasMessage("key");
        assertThatThrownBy(() -> storage.delete(null)).hasMessage("key");
        assertThatThrownBy(() -> storage.list(null)).hasMessage("prefix");
    }
}
