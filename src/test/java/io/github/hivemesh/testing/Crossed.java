package io.github.hivemesh.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.hivemesh.wire.RemoteTaskException;

/**
 * What a test expects of a failure that may have crossed the wire: with encoding forced
 * ({@code SwarmConfig.forceWireEncoding}), an exception that is not the library's arrives as a
 * {@link RemoteTaskException} naming the original's class and message; without, it arrives as
 * itself. The library's own exceptions arrive as themselves either way and need no helper.
 */
public final class Crossed {

    private Crossed() {
    }

    /**
     * Asserts that {@code actual} is the failure a session raised as a {@code type} with
     * {@code message}, as it arrives with encoding {@code encoded} or not.
     */
    public static void assertFailure(Throwable actual, boolean encoded,
            Class<? extends Throwable> type, String message) {
        if (encoded) {
            assertThat(actual).isInstanceOf(RemoteTaskException.class);
            RemoteTaskException remote = (RemoteTaskException) actual;
            assertThat(remote.remoteClassName()).isEqualTo(type.getName());
            assertThat(remote.remoteMessage()).isEqualTo(message);
            assertThat(remote.remoteStackTrace()).startsWith(type.getName() + ": " + message);
        } else {
            assertThat(actual).isExactlyInstanceOf(type).hasMessage(message);
        }
    }

    /**
     * The message a failure raised as a {@code type} with {@code message} has once it arrived
     * ({@code TaskStatus.error()} shows it): the original's, or with encoding forced the
     * remote exception's first line, {@code "class: message"}.
     */
    public static String message(boolean encoded, Class<? extends Throwable> type,
            String message) {
        return encoded ? type.getName() + ": " + message : message;
    }
}
