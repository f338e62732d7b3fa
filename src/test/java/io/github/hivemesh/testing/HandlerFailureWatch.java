package io.github.hivemesh.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.read.ListAppender;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/**
 * Fails a test in which a broker handler or delivery callback threw.
 *
 * <p>The broker survives a handler that throws (it logs a warning and delivers on), so a bug in
 * one of the coordinators' own actors — the mesh root, a peer, the queen, a team — shows only as
 * a wedge much later, if at all. Every handler the coordinators register is theirs, and user
 * code runs behind error-safe walls inside them, so in a test of a coordinator any such warning
 * is a library bug: this extension turns it into a failure that names the throw.
 *
 * <p>Register with {@code @ExtendWith(HandlerFailureWatch.class)} on tests that drive whole
 * coordinators and never register a throwing handler of their own. Tests run one at a time in
 * a JVM here, so the capture belongs to the test that is running.
 */
public final class HandlerFailureWatch implements BeforeEachCallback, AfterEachCallback {

    private static final String BROKER_LOGGER = "io.github.hivemesh.broker";
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(HandlerFailureWatch.class);

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(NAMESPACE).put(Capture.class, new Capture());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Capture capture = context.getStore(NAMESPACE).remove(Capture.class, Capture.class);
        if (capture == null) {
            return;
        }
        List<String> thrown = capture.close();
        if (!thrown.isEmpty()) {
            throw new AssertionError("a coordinator's broker handler threw (a library bug; the "
                    + "broker only logs it):\n  " + String.join("\n  ", thrown));
        }
    }

    /** A capture of the broker's warnings while one test runs. */
    private static final class Capture {
        private final Logger logger = (Logger) LoggerFactory.getLogger(BROKER_LOGGER);
        private final Level previousLevel = logger.getLevel();
        private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

        Capture() {
            appender.setContext(logger.getLoggerContext());
            appender.start();
            logger.addAppender(appender);
            logger.setLevel(Level.WARN);
        }

        /** Stops capturing; the handler and callback throws it saw, one line each. */
        List<String> close() {
            logger.detachAppender(appender);
            logger.setLevel(previousLevel);
            appender.stop();
            List<ILoggingEvent> events;
            synchronized (appender) {
                events = new ArrayList<>(appender.list);
            }
            List<String> thrown = new ArrayList<>();
            for (ILoggingEvent event : events) {
                String message = event.getFormattedMessage();
                if (message.startsWith("handler of") || message.startsWith("callback of")) {
                    thrown.add(message + describe(event.getThrowableProxy()));
                }
            }
            return thrown;
        }

        private static String describe(IThrowableProxy failure) {
            if (failure == null) {
                return "";
            }
            StringBuilder out = new StringBuilder(" [").append(failure.getClassName())
                    .append(": ").append(failure.getMessage());
            StackTraceElementProxy[] frames = failure.getStackTraceElementProxyArray();
            for (int i = 0; i < Math.min(3, frames.length); i++) {
                out.append(" at ").append(frames[i].getStackTraceElement());
            }
            return out.append(']').toString();
        }
    }
}
