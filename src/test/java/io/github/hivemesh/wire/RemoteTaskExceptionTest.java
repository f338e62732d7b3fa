package io.github.hivemesh.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class RemoteTaskExceptionTest {

    @Test
    void describing_keepsClassNameMessageAndTheWholeStackTraceText() {
        IOException cause = new IOException("disk full");
        IllegalStateException original = new IllegalStateException("cannot save", cause);
        original.addSuppressed(new IllegalArgumentException("also this"));

        RemoteTaskException remote = RemoteTaskException.describing(original);

        assertThat(remote.remoteClassName()).isEqualTo("java.lang.IllegalStateException");
        assertThat(remote.remoteMessage()).isEqualTo("cannot save");
        assertThat(remote.getMessage()).isEqualTo("java.lang.IllegalStateException: cannot save");
        assertThat(remote.remoteStackTrace())
                .startsWith("java.lang.IllegalStateException: cannot save")
                .contains("at io.github.hivemesh.wire.RemoteTaskExceptionTest.describing_")
                .contains("Caused by: java.io.IOException: disk full")
                .contains("Suppressed: java.lang.IllegalArgumentException: also this");
        assertThat(remote.getCause()).isNull();
    }

    @Test
    void toString_andPrintStackTrace_showTheRemoteStackTrace_notWhereItWasBuilt() {
        RemoteTaskException remote = new RemoteTaskException("com.example.Boom", null,
                "com.example.Boom\n\tat com.example.Agent.run(Agent.java:12)\n");

        assertThat(remote.getMessage()).isEqualTo("com.example.Boom");
        assertThat(remote.remoteMessage()).isNull();
        assertThat(remote.toString()).isEqualTo(RemoteTaskException.class.getName()
                + ": com.example.Boom" + System.lineSeparator() + "remote stack trace:"
                + System.lineSeparator() + "com.example.Boom\n\tat com.example.Agent.run(Agent.java:12)");
        assertThat(remote.getStackTrace()).isEmpty();
        StringWriter printed = new StringWriter();
        remote.printStackTrace(new PrintWriter(printed));
        assertThat(printed.toString()).contains("at com.example.Agent.run(Agent.java:12)")
                .doesNotContain("RemoteTaskExceptionTest");
    }

    @Test
    void toString_withoutAStackTraceText_isTheUsualOne() {
        RemoteTaskException remote = new RemoteTaskException("X", "m", "");

        assertThat(remote).hasToString(RemoteTaskException.class.getName() + ": X: m");
    }

    @Test
    void describing_anExceptionWhoseMethodsThrow_stillDescribesIt() {
        RuntimeException hostile = new RuntimeException() {
            private static final long serialVersionUID = 1L;

            @Override
            public String getMessage() {
                throw new UnsupportedOperationException("no message for you");
            }

            @Override
            public void printStackTrace(PrintWriter s) {
                throw new UnsupportedOperationException("no trace either");
            }
        };

        RemoteTaskException remote = RemoteTaskException.describing(hostile);

        assertThat(remote.remoteMessage())
                .isEqualTo("(getMessage() threw java.lang.UnsupportedOperationException)");
        assertThat(remote.remoteStackTrace()).contains("printing its stack trace threw");
    }

    @Test
    void construction_withoutAClassNameOrText_fails() {
        assertThatThrownBy(() -> new RemoteTaskException(null, "m", ""))
                .isInstanceOf(NullPointerException.class).hasMessage("remoteClassName");
        assertThatThrownBy(() -> new RemoteTaskException("X", "m", null))
                .isInstanceOf(NullPointerException.class).hasMessage("remoteStackTrace");
    }
}
