package io.github.hivemesh.wire;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Objects;

/**
 * A failure that crossed a process and is not one of the library's own exceptions (those
 * arrive as themselves): what a session threw on another member, described by the original's
 * class name, message and stack trace text — never the original object, which this JVM may not
 * even have the class of, and never by Java serialization.
 *
 * <p>{@link #getMessage()} is the original's first line ({@code "java.io.IOException: disk
 * full"}); {@link #toString()} adds the remote stack trace text, causes included, so a log of
 * this exception shows where it really happened. It has no local stack trace of its own: where
 * it was decoded says nothing about the failure.
 */
public class RemoteTaskException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The class name of the original exception. */
    private final String remoteClassName;
    /** The original exception's message, or null if it had none. */
    private final String remoteMessage;
    /** The original's stack trace text, causes included (empty if it was not known). */
    private final String remoteStackTrace;

    /**
     * A remote failure.
     *
     * @param remoteClassName  the original exception's class name
     * @param remoteMessage    its message, or null if it had none
     * @param remoteStackTrace its stack trace as {@link Throwable#printStackTrace()} printed it
     *                         (causes included), or empty
     */
    public RemoteTaskException(String remoteClassName, String remoteMessage,
            String remoteStackTrace) {
        this(remoteClassName, remoteMessage, remoteStackTrace, null);
    }

    /**
     * A remote failure with a cause (a failure it arrived with).
     *
     * @param remoteClassName the class name of the original exception
     * @param remoteMessage the original exception's message, or null if it had none
     * @param remoteStackTrace the original's stack trace text, causes included (empty if it was not
     *     known)
     * @param cause the cause, or null
     */
    public RemoteTaskException(String remoteClassName, String remoteMessage,
            String remoteStackTrace, Throwable cause) {
        super(firstLine(remoteClassName, remoteMessage), cause, true, false);
        this.remoteClassName = remoteClassName;
        this.remoteMessage = remoteMessage;
        this.remoteStackTrace = Objects.requireNonNull(remoteStackTrace, "remoteStackTrace");
    }

    /**
     * {@return {@code error} described as a remote failure: its class name, message and stack trace
     * text, its causes and suppressed exceptions flattened into the text}
     *
     * @param error the failure
     */
    public static RemoteTaskException describing(Throwable error) {
        Objects.requireNonNull(error, "error");
        return new RemoteTaskException(error.getClass().getName(), messageOf(error),
                stackTraceOf(error));
    }

    /** {@return the class name of the original exception} */
    public String remoteClassName() {
        return remoteClassName;
    }

    /** {@return the original exception's message, or null if it had none} */
    public String remoteMessage() {
        return remoteMessage;
    }

    /** {@return the original's stack trace text, causes included (empty if it was not known)} */
    public String remoteStackTrace() {
        return remoteStackTrace;
    }

    /** This exception's class and message, then the remote stack trace text. */
    @Override
    public String toString() {
        String head = super.toString();
        return remoteStackTrace.isEmpty() ? head
                : head + System.lineSeparator() + "remote stack trace:" + System.lineSeparator()
                        + remoteStackTrace.stripTrailing();
    }

    private static String firstLine(String className, String message) {
        Objects.requireNonNull(className, "remoteClassName");
        return message == null ? className : className + ": " + message;
    }

    /** {@code error.getMessage()}, or a note if that throws (a user class can do anything). */
    static String messageOf(Throwable error) {
        try {
            return error.getMessage();
        } catch (RuntimeException e) {
            return "(getMessage() threw " + e.getClass().getName() + ")";
        }
    }

    /** What {@code error.printStackTrace()} prints, or a note if that throws. */
    static String stackTraceOf(Throwable error) {
        StringWriter text = new StringWriter();
        try (PrintWriter out = new PrintWriter(text)) {
            error.printStackTrace(out);
        } catch (RuntimeException e) {
            return error.getClass().getName() + " (printing its stack trace threw "
                    + e.getClass().getName() + ")";
        }
        return text.toString();
    }
}
