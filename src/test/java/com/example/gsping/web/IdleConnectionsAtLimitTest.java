package com.example.gsping.web;

import com.example.gsping.support.RawHttp;
import com.example.gsping.support.SlowController;
import io.micronaut.context.annotation.Property;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static com.example.gsping.web.ConnectionLimitTest.HEALTH;
import static com.example.gsping.web.ConnectionLimitTest.LIMIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * At the connection limit ({@value ConnectionLimitTest#LIMIT} here), a new client gets in by
 * closing the connection idle longest, once it has been idle {@value #RECLAIM_MS} ms (both lowered
 * here for speed); a connection in the middle of a request or owing a response is never the one closed.
 */
@MicronautTest
@Property(name = ConnectionLimit.MAX_CONNECTIONS, value = ConnectionLimitTest.LIMIT + "")
@Property(name = ConnectionLimit.RECLAIM_IDLE_AFTER, value = IdleConnectionsAtLimitTest.RECLAIM_MS + "ms")
@Property(name = SlowController.ENABLED, value = "true")
class IdleConnectionsAtLimitTest extends HostileInputTest {

    static final int RECLAIM_MS = 500;
    /** Scheduling on a busy 2-core machine: how long a close or a count may lag. */
    private static final Duration SLACK = Duration.ofSeconds(3);

    @Inject
    ConnectionLimit limit;

    @Test
    void newClientIsServedWhileMoreSilentConnectionsThanTheLimitAreOpen() throws Exception {
        List<RawHttp.Connection> silent = new ArrayList<>();
        try {
            for (int i = 0; i < 2 * LIMIT; i++) {
                silent.add(RawHttp.Connection.open(port()));
                if (i == LIMIT - 1) {
                    // the rest then queue in the backlog: taken in one read with these, they would all be let in
                    assertOpenConnectionsBecome(LIMIT);
                }
            }
            try (RawHttp.Connection client = RawHttp.Connection.open(port())) {
                assertEquals(200, client.write(HEALTH).readResponse().status(), "served with " + silent.size() + " silent connections open");
            }
            assertTrue(silent.get(0).closesWithin(SLACK), "the longest silent connection made room");
        } finally {
            for (RawHttp.Connection connection : silent) {
                connection.close();
            }
        }
    }

    @Test
    void connectionsMidRequestOrOwingAResponseAreNotClosedToMakeRoom() throws Exception {
        try (RawHttp.Connection bodyPending = RawHttp.Connection.open(port());
             RawHttp.Connection slowResponse = RawHttp.Connection.open(port());
             RawHttp.Connection idleKeepAlive = RawHttp.Connection.open(port())) {
            bodyPending.write("POST /nope HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\n");
            assertEquals(404, bodyPending.readResponse().status(), "routed on its head, body still to come");
            slowResponse.write("GET " + SlowController.SLOW_PATH + " HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals(200, idleKeepAlive.write(HEALTH).readResponse().status());

            try (RawHttp.Connection newcomer = RawHttp.Connection.open(port())) {
                assertEquals(200, newcomer.write(HEALTH).readResponse().status(), "newcomer served at the limit");
                assertTrue(idleKeepAlive.closesWithin(SLACK), "the idle keep-alive connection made room");
                assertOpenConnectionsBecome(LIMIT);

                RawHttp.Response slow = slowResponse.readResponse();
                assertEquals("slow done", slow.body(), "the slow response was not cut off");
                assertEquals(200, bodyPending.write("body").write(HEALTH).readResponse().status(),
                        "the connection with its body pending is still served");
            }
        }
    }

    private void assertOpenConnectionsBecome(int expected) throws InterruptedException {
        long deadline = System.nanoTime() + SLACK.toNanos();
        while (limit.openConnections() != expected && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(expected, limit.openConnections(), "connections open");
    }
}
