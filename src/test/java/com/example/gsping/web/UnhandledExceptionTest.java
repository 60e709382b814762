package com.example.gsping.web;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import com.example.gsping.support.FailingController;
import com.example.gsping.support.LogCapture;
import com.example.gsping.support.RawHttp;
import io.micronaut.context.annotation.Property;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** The Go original's Recover middleware: a handler that throws gives a bare 500, the details go to the log. */
@MicronautTest
@Property(name = FailingController.ENABLED, value = "true")
class UnhandledExceptionTest {

    @Inject
    EmbeddedServer server;

    @Test
    void escapedExceptionIsAGeneric500AndItsStackTraceIsLogged() throws Exception {
        try (LogCapture log = LogCapture.instead("io.micronaut")) {
            RawHttp.Response response = RawHttp.get(server.getPort(), "/test-only/fail");

            assertEquals(500, response.status());
            assertEquals("application/json", response.header("Content-Type"));
            assertEquals("{\"message\":\"Internal Server Error\"}", response.body());
            assertFalse(response.body().contains(FailingController.SECRET));

            ILoggingEvent logged = log.await(e -> e.getLevel() == Level.ERROR && e.getThrowableProxy() != null);
            assertEquals(IllegalStateException.class.getName(), logged.getThrowableProxy().getClassName());
            assertNotNull(logged.getThrowableProxy().getStackTraceElementProxyArray());
        }
        assertEquals(200, RawHttp.get(server.getPort(), "/health").status());
    }
}
