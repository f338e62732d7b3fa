package io.github.hivemesh.hostile;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Captures what the library logs under a logger (and its children) at a level and above, in a
 * logback {@link ListAppender}, while it is open; the captured events are not also printed.
 * Closing restores the logger as it was.
 */
final class LogCapture implements AutoCloseable {

    private final Logger logger;
    private final Level previousLevel;
    private final boolean previousAdditivity;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    private LogCapture(String loggerName, Level level) {
        this.logger = (Logger) LoggerFactory.getLogger(loggerName);
        this.previousLevel = logger.getLevel();
        this.previousAdditivity = logger.isAdditive();
        appender.setContext(logger.getLoggerContext());
        appender.start();
        logger.addAppender(appender);
        logger.setLevel(level);
        logger.setAdditive(false);
    }

    /** Starts capturing {@code level} and above under the library's root logger. */
    static LogCapture library(Level level) {
        return new LogCapture("io.github.hivemesh", level);
    }

    /** The events captured so far (a copy). */
    List<ILoggingEvent> events() {
        // AppenderBase.doAppend holds the appender's monitor while it adds
        synchronized (appender) {
            return new ArrayList<>(appender.list);
        }
    }

    /** Captured events at {@code level} or above, as "LEVEL logger: message" lines. */
    List<String> lines(Level level) {
        List<String> lines = new ArrayList<>();
        for (ILoggingEvent event : events()) {
            if (event.getLevel().isGreaterOrEqual(level)) {
                lines.add(event.getLevel() + " " + event.getLoggerName() + ": "
                        + event.getFormattedMessage()
                        + (event.getThrowableProxy() == null ? ""
                                : " [" + event.getThrowableProxy().getClassName() + ": "
                                        + event.getThrowableProxy().getMessage() + "]"));
            }
        }
        return lines;
    }

    /** Captured lines containing {@code text}. */
    List<String> containing(String text) {
        List<String> found = new ArrayList<>();
        for (String line : lines(Level.TRACE)) {
            if (line.contains(text)) {
                found.add(line);
            }
        }
        return found;
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        logger.setLevel(previousLevel);
        logger.setAdditive(previousAdditivity);
        appender.stop();
    }
}
