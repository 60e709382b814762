package com.example.gsping.web;

import com.example.gsping.support.RawHttp;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@MicronautTest
class PipeliningTest extends HostileInputTest {

    private static final int PIPELINED = 100;
    /** Each route with the exact body it must answer, so a response answered out of order shows. */
    private static final List<Route> ROUTES = List.of(
            new Route("/", 200, PingController.GREETING),
            new Route("/health", 200, "{\"Status\":\"OK\"}"),
            new Route("/nope", 404, "{\"message\":\"Not Found\"}"));

    private record Route(String path, int status, String body) {
    }

    @Test
    void hundredRequestsWrittenInOneGoGetHundredResponsesInOrder() throws Exception {
        StringBuilder requests = new StringBuilder();
        for (int i = 0; i < PIPELINED; i++) {
            requests.append("GET ").append(route(i).path()).append("?n=").append(i).append(" HTTP/1.1\r\nHost: x\r\n\r\n");
        }
        try (RawHttp.Connection connection = RawHttp.Connection.open(port())) {
            connection.write(requests.toString());

            for (int i = 0; i < PIPELINED; i++) {
                RawHttp.Response response = connection.readResponse();
                assertEquals(route(i).status(), response.status(), "response " + i);
                assertEquals(route(i).body(), response.body(), "response " + i);
            }
            assertFalse(connection.closesWithin(Duration.ofMillis(500)), "kept alive after the batch");
        }
    }

    @Test
    void http10WithoutKeepAliveIsAnsweredAndClosed() throws Exception {
        try (RawHttp.Connection connection = RawHttp.Connection.open(port())) {
            RawHttp.Response response = connection.write("GET /health HTTP/1.0\r\n\r\n").readResponse();

            assertEquals(200, response.status());
            assertEquals("{\"Status\":\"OK\"}", response.body());
            assertTrue(connection.closesWithin(Duration.ofSeconds(2)), "closed after the response");
        }
    }

    private static Route route(int i) {
        return ROUTES.get(i % ROUTES.size());
    }
}
