package com.example.gsping.web;

import com.example.gsping.support.RawHttp;
import io.micronaut.context.annotation.Property;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With {@value #LIMIT} connections open (the limit, lowered here), a further client is not
 * served, and not refused either: it waits in the accept backlog and is answered as soon as
 * another connection closes. Idle connections are not closed at the limit within a test's time
 * here, so that only the counting is under test ({@link IdleConnectionsAtLimitTest}).
 */
@MicronautTest
@Property(name = ConnectionLimit.MAX_CONNECTIONS, value = ConnectionLimitTest.LIMIT + "")
@Property(name = ConnectionLimit.IDLE_TIMEOUT_AT_LIMIT, value = "1h")
class ConnectionLimitTest extends HostileInputTest {

    static final int LIMIT = 3;
    /** Netty accepts up to this many connections per read of the listening socket. */
    private static final int ACCEPTS_PER_READ = 16;
    private static final int WAITING = 60;
    static final String HEALTH = "GET /health HTTP/1.1\r\nHost: x\r\n\r\n";

    @Inject
    ConnectionLimit limit;

    @Test
    void clientBeyondTheLimitWaitsUntilAConnectionClosesThenIsServed() throws Exception {
        List<RawHttp.Connection> admitted = new ArrayList<>();
        try (RawHttp.Connection waiting = openAtLimit(admitted)) {
            waiting.write(HEALTH);
            assertTrue(waiting.silentFor(Duration.ofSeconds(1)), "served beyond the limit of " + LIMIT);

            admitted.remove(0).close();

            assertEquals(200, waiting.readResponse().status(), "served once a connection closed");
            assertEquals(LIMIT, limit.openConnections(), "connections open");
            for (RawHttp.Connection connection : admitted) {
                assertEquals(200, connection.write(HEALTH).readResponse().status(), "admitted connections still served");
            }
        } finally {
            for (RawHttp.Connection connection : admitted) {
                connection.close();
            }
        }
    }

    @Test
    void closedConnectionsAreNoLongerCounted() throws Exception {
        for (int round = 0; round < 3; round++) {
            List<RawHttp.Connection> admitted = new ArrayList<>();
            openAtLimit(admitted).close();
            for (RawHttp.Connection connection : admitted) {
                connection.close();
            }
        }
        try (RawHttp.Connection connection = RawHttp.Connection.open(port())) {
            assertEquals(200, connection.write(HEALTH).readResponse().status(), "served after 3 rounds at the limit");
        }
    }

    @Test
    void clientsWaitingWhenAllConnectionsCloseAtOnceAreLetInOnlyUpToTheLimit() throws Exception {
        List<RawHttp.Connection> admitted = new ArrayList<>();
        List<RawHttp.Connection> waiting = new ArrayList<>();
        try {
            waiting.add(openAtLimit(admitted));
            for (int i = 1; i < WAITING; i++) {
                waiting.add(RawHttp.Connection.open(port()));
            }
            for (RawHttp.Connection connection : waiting) {
                connection.write(HEALTH);
            }
            for (RawHttp.Connection connection : admitted) {
                connection.close();
            }

            // the first in the backlog is let in first; by then the others let in have been answered too
            int served = 0;
            for (int i = 0; i < WAITING; i++) {
                served += waiting.get(i).silentFor(Duration.ofMillis(i == 0 ? 5_000 : 100)) ? 0 : 1;
            }
            assertTrue(served >= 1, "nobody let in after " + LIMIT + " connections closed");
            assertTrue(served <= LIMIT + ACCEPTS_PER_READ,
                    served + " of " + WAITING + " waiting clients let in at once, limit " + LIMIT);
        } finally {
            for (RawHttp.Connection connection : waiting) {
                connection.close();
            }
        }
    }

    /** Opens and uses {@value #LIMIT} connections (into {@code admitted}), then one more. */
    private RawHttp.Connection openAtLimit(List<RawHttp.Connection> admitted) throws Exception {
        for (int i = 0; i < LIMIT; i++) {
            RawHttp.Connection connection = RawHttp.Connection.open(port());
            admitted.add(connection);
            assertEquals(200, connection.write(HEALTH).readResponse().status(), "connection " + (i + 1));
        }
        return RawHttp.Connection.open(port());
    }
}
