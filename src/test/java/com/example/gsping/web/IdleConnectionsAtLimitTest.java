package com.example.gsping.web;

import com.example.gsping.support.RawHttp;
import com.example.gsping.support.SlowController;
import io.micronaut.context.annotation.Property;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static com.example.gsping.web.ConnectionLimitTest.HEALTH;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * More connections than the limit ({@value #LIMIT} here) that send no request cannot lock the
 * service out: at the limit, connections that have waited {@value #IDLE_TIMEOUT_MS} ms for a
 * request head make room, and one mid-request or owing a response is never closed for it. The
 * request read timeout is out of reach here, so only the limit's closing can let a client in.
 * Outcomes only: every wait is a generous bound (a loaded machine took over 5 s for a first
 * response), no time is measured.
 */
@MicronautTest
@Property(name = ConnectionLimit.MAX_CONNECTIONS, value = IdleConnectionsAtLimitTest.LIMIT + "")
@Property(name = ConnectionLimit.IDLE_TIMEOUT_AT_LIMIT, value = IdleConnectionsAtLimitTest.IDLE_TIMEOUT_MS + "ms")
@Property(name = RequestPipelineCustomizer.REQUEST_READ_TIMEOUT, value = "1h")
@Property(name = SlowController.ENABLED, value = "true")
class IdleConnectionsAtLimitTest extends HostileInputTest {

    static final int LIMIT = 50;
    /** Well below the slow route's delay, so the limit's closing runs while that response is owed. */
    static final int IDLE_TIMEOUT_MS = 500;
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @Test
    void healthAnswersWithMoreSilentConnectionsOpenThanTheLimit() throws Exception {
        List<RawHttp.Connection> connections = new ArrayList<>();
        try {
            RawHttp.Connection keptAlive = open(connections);
            assertEquals(200, keptAlive.write(HEALTH).readResponse(PATIENCE).status());
            RawHttp.Connection partialHead = open(connections).write("GET /health HTTP/1.1\r\n");
            RawHttp.Connection firstSilent = open(connections);
            for (int i = 1; i < LIMIT + 100; i++) {
                open(connections);
            }

            try (RawHttp.Connection client = RawHttp.Connection.open(port())) {
                assertEquals(200, client.write(HEALTH).readResponse(PATIENCE).status(),
                        "served with " + connections.size() + " connections open that send no request, limit " + LIMIT);
            }
            assertTrue(firstSilent.closesWithin(PATIENCE), "the first silent connection made room");
            assertTrue(keptAlive.closesWithin(PATIENCE), "the idle keep-alive connection made room");
            assertTrue(partialHead.closesWithin(PATIENCE), "the connection with half a request head made room");
        } finally {
            closeAll(connections);
        }
    }

    @Test
    void connectionsMidRequestOrOwingAResponseAreNotClosedToMakeRoom() throws Exception {
        List<RawHttp.Connection> silent = new ArrayList<>();
        try (RawHttp.Connection bodyPending = RawHttp.Connection.open(port());
             RawHttp.Connection slowResponse = RawHttp.Connection.open(port())) {
            bodyPending.write("POST /nope HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\n");
            assertEquals(404, bodyPending.readResponse(PATIENCE).status(), "routed on its head, body still to come");
            slowResponse.write("GET " + SlowController.SLOW_PATH + " HTTP/1.1\r\nHost: x\r\n\r\n");
            awaitSlowRequestInFlight();
            for (int i = 0; i < LIMIT; i++) {
                open(silent);
            }

            // made room at a check that found the two others older, so they were looked at too
            assertTrue(silent.get(0).closesWithin(PATIENCE), "a silent connection opened after them made room");
            assertEquals("slow done", slowResponse.readResponse(PATIENCE).body(), "the slow response was not cut off");
            assertEquals(200, bodyPending.write("body").write(HEALTH).readResponse(PATIENCE).status(),
                    "the connection with its body pending is still served");
        } finally {
            closeAll(silent);
        }
    }

    private RawHttp.Connection open(List<RawHttp.Connection> connections) throws IOException {
        RawHttp.Connection connection = RawHttp.Connection.open(port());
        connections.add(connection);
        return connection;
    }

    private void awaitSlowRequestInFlight() throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!inFlight().equals("1")) {
            assertTrue(System.nanoTime() < deadline, "the slow request never arrived");
            Thread.sleep(10);
        }
    }

    private String inFlight() throws IOException {
        try (RawHttp.Connection connection = RawHttp.Connection.open(port())) {
            return connection.write("GET " + SlowController.IN_FLIGHT_PATH + " HTTP/1.1\r\nHost: x\r\n\r\n").readResponse(PATIENCE).body();
        }
    }

    private static void closeAll(List<RawHttp.Connection> connections) throws IOException {
        for (RawHttp.Connection connection : connections) {
            connection.close();
        }
    }
}
