package com.example.gsping.web;

import com.example.gsping.support.RawHttp;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

    @Test
    void queryStringsDoNotChangeTheRoute() throws Exception {
        assertEquals("{\"Status\":\"OK\"}", RawHttp.get(server.getPort(), "/health?probe=1").body());
    }

    @Test
    void headOnAGetRouteAnswersTheHeadersWithoutABody() throws Exception {
        RawHttp.Response response = RawHttp.send(server.getPort(), "HEAD / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

        assertEquals(200, response.status());
        assertEquals("text/html; charset=UTF-8", response.header("Content-Type"));
        assertEquals("", response.body());
        assertNull(response.header("Allow"));
    }
}
