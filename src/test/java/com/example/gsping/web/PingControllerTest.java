package com.example.gsping.web;

import com.example.gsping.support.RawHttp;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

@MicronautTest
class PingControllerTest {

    @Inject
    EmbeddedServer server;

    @Test
    void rootAnswersTheGreetingAsHtmlLikeTheGoOriginal() throws Exception {
        RawHttp.Response response = RawHttp.get(server.getPort(), "/");

        assertEquals(200, response.status());
        assertEquals("text/html; charset=UTF-8", response.header("Content-Type"));
        assertEquals("Hello, Docker! <3", response.body());
    }

    @Test
    void healthAnswersStatusOkAsJson() throws Exception {
        RawHttp.Response response = RawHttp.get(server.getPort(), "/health");

        assertEquals(200, response.status());
        assertEquals("application/json", response.header("Content-Type"));
        assertEquals("{\"Status\":\"OK\"}", response.body());
    }

    @ParameterizedTest
    @ValueSource(strings = {"text/html", "application/json", "text/plain", "image/png", "*/*"})
    void bothRoutesAnswerWhateverTheAcceptHeaderSaysLikeTheGoOriginal(String accept) throws Exception {
        for (String[] route : new String[][] {
                {"/", "text/html; charset=UTF-8", "Hello, Docker! <3"},
                {"/health", "application/json", "{\"Status\":\"OK\"}"}}) {
            RawHttp.Response response = RawHttp.send(server.getPort(),
                    "GET " + route[0] + " HTTP/1.1\r\nHost: x\r\nAccept: " + accept + "\r\nConnection: close\r\n\r\n");

            assertEquals(200, response.status(), route[0]);
            assertEquals(route[1], response.header("Content-Type"), route[0]);
            assertEquals(route[2], response.body(), route[0]);
        }
    }

    @Test
    void queryStringsDoNotChangeTheRoute() throws Exception {
        assertEquals("{\"Status\":\"OK\"}", RawHttp.get(server.getPort(), "/health?probe=1").body());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/health"})
    void headCarriesGetsHeadersWithoutABodyAndKeepsTheConnection(String path) throws Exception {
        RawHttp.Response get = RawHttp.get(server.getPort(), path);
        try (RawHttp.Connection connection = RawHttp.Connection.open(server.getPort())) {
            String head = "HEAD " + path + " HTTP/1.1\r\nHost: x\r\n\r\n";
            RawHttp.Response first = connection.write(head).readHeadResponse();
            // the next response starts right after the first one's headers: no body was sent
            RawHttp.Response second = connection.write(head).readHeadResponse();

            for (RawHttp.Response response : List.of(first, second)) {
                assertEquals(200, response.status());
                assertEquals(get.header("Content-Type"), response.header("Content-Type"));
                assertEquals(String.valueOf(get.body().length()), response.header("Content-Length"));
                assertNull(response.header("Connection"), "HEAD keeps the connection open, as GET does");
                assertNull(response.header("Allow"));
            }
            assertFalse(connection.closesWithin(Duration.ofMillis(500)), "no body bytes follow, and no close");
        }
    }
}
