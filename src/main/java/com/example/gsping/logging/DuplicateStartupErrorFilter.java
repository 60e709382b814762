package com.example.gsping.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.Marker;

/**
 * Drops Micronaut's own log line about a server that failed to start (for example "Unable to start
 * server. Port *:8080 already in use." on stdout): the launcher reports the same failure as the
 * one promised line on stderr (com.example.gsping.StartupFailure), and a second, differently worded
 * copy on the other stream reads like another error.
 */
final class DuplicateStartupErrorFilter extends TurboFilter {

    static final String SERVER_LOGGER = "io.micronaut.http.server.netty.NettyHttpServer";

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        boolean startFailure = level == Level.ERROR && format != null && SERVER_LOGGER.equals(logger.getName())
                && (format.startsWith("Unable to start server") || format.startsWith("Error starting Micronaut server"));
        return startFailure ? FilterReply.DENY : FilterReply.NEUTRAL;
    }
}
