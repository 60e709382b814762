package com.example.gsping.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.hook.DefaultShutdownHook;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * The service's logging, set up in code: everything to stdout ({@code docker logs}), and the
 * access lines (already JSON) as bare lines through {@link BatchingStdoutAppender}.
 *
 * <p>In code rather than {@code logback.xml} because parsing XML (Joran, a SAX parser and ~300
 * classes) took about 60 ms of the service's start on one CPU; a logback {@link Configurator} found
 * through {@code META-INF/services} runs before the XML lookup. A file given with
 * {@code -Dlogback.configurationFile} still wins (this configurator then steps aside), where the
 * runtime has {@code java.xml}: in {@code latest}, not in the multistage image's jlinked runtime.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class StdoutLoggingConfigurator extends ContextAwareBase implements Configurator {

    /** Micronaut's access logger (micronaut.server.netty.access-logger.logger-name default). */
    static final String ACCESS_LOGGER = "HTTP_ACCESS_LOGGER";
    static final String PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger{36} - %msg%n";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty(ContextInitializer.CONFIG_FILE_PROPERTY) != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        stopAppendersOnExit(context);
        DuplicateStartupErrorFilter startupErrors = new DuplicateStartupErrorFilter();
        startupErrors.setContext(context);
        startupErrors.start();
        context.addTurboFilter(startupErrors);

        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(console(context));

        Logger access = context.getLogger(ACCESS_LOGGER);
        access.setLevel(Level.INFO);
        access.setAdditive(false);
        BatchingStdoutAppender batching = new BatchingStdoutAppender();
        batching.setContext(context);
        batching.setName("ACCESS");
        batching.start();
        access.addAppender(batching);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    private static ConsoleAppender<ILoggingEvent> console(LoggerContext context) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName("STDOUT");
        console.setEncoder(encoder);
        console.start();
        return console;
    }

    /** As {@code <shutdownHook/>}: on exit, stop the appenders so queued access lines are written. */
    private static void stopAppendersOnExit(LoggerContext context) {
        DefaultShutdownHook hook = new DefaultShutdownHook();
        hook.setContext(context);
        Thread thread = new Thread(hook, "logback-shutdown-hook");
        context.putObject(CoreConstants.SHUTDOWN_HOOK_THREAD, thread);
        Runtime.getRuntime().addShutdownHook(thread);
    }
}
