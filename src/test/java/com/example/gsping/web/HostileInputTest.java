package com.example.gsping.web;

import ch.qos.logback.classic.spi.ILoggingEvent;
import com.example.gsping.support.LogCapture;
import com.example.gsping.support.RawHttp;
import io.micronaut.runtime.server.EmbeddedServer;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.slf4j.Logger;

import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What every hostile-input test proves besides its own answer: no request got a 5xx (the access
 * log records every answered request, including those the test did not read), nothing was logged
 * with a stack trace, and {@code /health} still answers afterwards.
 */
abstract class HostileInputTest {

    private static final String ACCESS_LOGGER = "HTTP_ACCESS_LOGGER";
    private static final Pattern SERVER_ERROR_STATUS = Pattern.compile("\"status\":5\\d\\d");

    @Inject
    EmbeddedServer server;

    private final LogCapture applicationLog = new LogCapture(Logger.ROOT_LOGGER_NAME);
    private final LogCapture accessLog = new LogCapture(ACCESS_LOGGER);

    @AfterEach
    void serverStillHealthyAndNothingWentWrongInside() throws Exception {
        try (LogCapture application = applicationLog; LogCapture access = accessLog) {
            assertEquals(200, RawHttp.get(server.getPort(), "/health").status());
            accessLog.await(e -> e.getFormattedMessage().contains("\"uri\":\"/health\""));

            List<ILoggingEvent> stackTraces = applicationLog.logged(e -> e.getThrowableProxy() != null);
            assertEquals(List.of(), stackTraces, "logged with a stack trace");
            List<ILoggingEvent> serverErrors = accessLog.logged(e -> SERVER_ERROR_STATUS.matcher(e.getFormattedMessage()).find());
            assertEquals(List.of(), serverErrors, "answered with a 5xx");
        }
    }

    int port() {
        return server.getPort();
    }
}
