package com.example.gsping.support;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

/** Records what one logger (and its children) logs, in this JVM, for as long as it is open. */
public final class LogCapture implements AutoCloseable {

    private final Logger logger;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final boolean wasAdditive;

    public LogCapture(String loggerName) {
        this(loggerName, false);
    }

    private LogCapture(String loggerName, boolean instead) {
        this.logger = (Logger) LoggerFactory.getLogger(loggerName);
        this.wasAdditive = logger.isAdditive();
        appender.start();
        logger.addAppender(appender);
        if (instead) {
            logger.setAdditive(false);
        }
    }

    /**
     * Records instead of printing: for a test that provokes an error log on purpose, so the build's
     * output does not show a stack trace a reader takes for a failure.
     */
    public static LogCapture instead(String loggerName) {
        return new LogCapture(loggerName, true);
    }

    /** Waits (the access log is asynchronous) until an event matches, or fails after a few seconds. */
    public ILoggingEvent await(Predicate<ILoggingEvent> matching) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline) {
            for (ILoggingEvent event : snapshot()) {
                if (matching.test(event)) {
                    return event;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no matching log event on " + logger.getName() + " in " + snapshot());
    }

    /** The events logged so far that match. */
    public List<ILoggingEvent> logged(Predicate<ILoggingEvent> matching) {
        return snapshot().stream().filter(matching).toList();
    }

    private List<ILoggingEvent> snapshot() {
        synchronized (appender) { // appenders append under their own lock
            return List.copyOf(appender.list);
        }
    }

    @Override
    public void close() {
        logger.setAdditive(wasAdditive);
        logger.detachAppender(appender);
    }
}
