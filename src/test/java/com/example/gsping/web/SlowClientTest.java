package com.example.gsping.web;

import com.example.gsping.support.RawHttp;
import com.example.gsping.support.SlowController;
import io.micronaut.context.annotation.Property;
import io.micronaut.core.convert.ConversionService;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Slowloris: a client that sends a byte a second is cut off once the request read timeout
 * (lowered here to {@value #TIMEOUT_SECONDS} s for speed) has passed, although each byte resets
 * Micronaut's idle timers. A slow route on the server's side is not cut off.
 */
@MicronautTest
@Property(name = RequestPipelineCustomizer.REQUEST_READ_TIMEOUT, value = SlowClientTest.TIMEOUT_SECONDS + "s")
@Property(name = SlowController.ENABLED, value = "true")
class SlowClientTest extends HostileInputTest {

    static final int TIMEOUT_SECONDS = 1;
    private static final Duration TIMEOUT = Duration.ofSeconds(TIMEOUT_SECONDS);
    /** Scheduling on a busy 2-core machine: how late after the timeout the close may come. */
    private static final Duration CLOSE_SLACK = Duration.ofSeconds(3);
    private static final Duration ONE_BYTE_EVERY = Duration.ofSeconds(1);
    /** What an operator should expect at most, whatever application.properties says. */
    private static final Duration PRODUCTION_TIMEOUT_CEILING = Duration.ofMinutes(1);

    @Inject
    ConversionService conversionService;

    @Test
    void clientTricklingTheRequestHeadIsDisconnectedAfterTheTimeout() throws Exception {
        byte[] request = ("GET /health HTTP/1.1\r\nHost: x\r\nX-Pad: " + "a".repeat(64) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        long start = System.nanoTime();
        try (RawHttp.Connection connection = RawHttp.Connection.open(port())) {
            int written = connection.trickle(request, ONE_BYTE_EVERY);

            assertTrue(written < request.length, "closed before the request was complete, after " + written + " bytes");
            assertClosedWithinBound(start);
        }
    }

    @Test
    void clientTricklingTheBodyIsDisconnectedAfterTheTimeout() throws Exception {
        byte[] body = "b".repeat(64).getBytes(StandardCharsets.US_ASCII);
        long start = System.nanoTime();
        try (RawHttp.Connection connection = RawHttp.Connection.open(port())) {
            connection.write("POST /nope HTTP/1.1\r\nHost: x\r\nContent-Length: " + body.length + "\r\n\r\n");
            assertEquals(404, connection.readResponse().status(), "routed on its head, before the body");
            int written = connection.trickle(body, ONE_BYTE_EVERY);

            assertTrue(written < body.length, "closed before the body was complete, after " + written + " bytes");
            assertClosedWithinBound(start);
        }
    }

    @Test
    void busyKeepAliveConnectionIsNeverCutOffHoweverLongItLasts() throws Exception {
        long end = System.nanoTime() + TIMEOUT.multipliedBy(3).toNanos();
        int answered = 0;
        try (RawHttp.Connection connection = RawHttp.Connection.open(port())) {
            while (System.nanoTime() < end) {
                assertEquals(200, connection.write("GET /health HTTP/1.1\r\nHost: x\r\n\r\n").readResponse().status(),
                        "answer " + (answered + 1));
                answered++;
                Thread.sleep(20);
            }
        }
        assertTrue(answered > 10, "requests answered back to back over three timeouts: " + answered);
    }

    @Test
    void silentConnectionIsClosedAfterTheTimeout() throws Exception {
        long start = System.nanoTime();
        try (RawHttp.Connection connection = RawHttp.Connection.open(port())) {
            assertTrue(connection.closesWithin(TIMEOUT.plus(CLOSE_SLACK)), "closed");
            assertClosedWithinBound(start);
        }
    }

    @Test
    void keepAliveConnectionIdleAfterAResponseIsClosedAfterTheTimeout() throws Exception {
        try (RawHttp.Connection connection = RawHttp.Connection.open(port())) {
            assertEquals(200, connection.write("GET /health HTTP/1.1\r\nHost: x\r\n\r\n").readResponse().status());

            assertTrue(connection.closesWithin(TIMEOUT.plus(CLOSE_SLACK)), "closed");
        }
    }

    /** The clock stops while the server owes a response, and starts again once it is written. */
    @Test
    void slowRouteIsAnsweredAlthoughItTakesLongerThanTheTimeout() throws Exception {
        assertTrue(Duration.ofMillis(SlowController.DELAY_MS).compareTo(TIMEOUT) > 0, "the route outlasts the timeout");
        try (RawHttp.Connection connection = RawHttp.Connection.open(port())) {
            RawHttp.Response response = connection.write("GET /test-only/slow HTTP/1.1\r\nHost: x\r\n\r\n").readResponse();

            assertEquals(200, response.status());
            assertEquals("slow done", response.body());
            assertTrue(connection.closesWithin(TIMEOUT.plus(CLOSE_SLACK)), "closed once idle after the answer");
        }
    }

    @Test
    void productionRequestReadTimeoutIsSetAndBounded() throws Exception {
        Properties production = new Properties();
        try (InputStream in = getClass().getResourceAsStream("/application.properties")) {
            production.load(in);
        }
        Duration timeout = conversionService.convertRequired(production.getProperty(RequestPipelineCustomizer.REQUEST_READ_TIMEOUT), Duration.class);

        assertTrue(!timeout.isNegative() && !timeout.isZero() && timeout.compareTo(PRODUCTION_TIMEOUT_CEILING) <= 0, "production timeout " + timeout);
    }

    private static void assertClosedWithinBound(long startNanos) {
        Duration elapsed = Duration.ofNanos(System.nanoTime() - startNanos);
        assertTrue(elapsed.compareTo(TIMEOUT) >= 0, "closed by the timeout, not before: " + elapsed);
        assertTrue(elapsed.compareTo(TIMEOUT.plus(CLOSE_SLACK)) <= 0, "closed within the bound: " + elapsed);
    }
}
