package com.example.gsping.web;

import com.example.gsping.support.RawHttp;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

@MicronautTest
class RoutingErrorsTest {

    private static final String EIGHT_KB_PATH = "/" + "a".repeat(8 * 1024);

    @Inject
    EmbeddedServer server;

    @ParameterizedTest
    @ValueSource(strings = {"/nope", "/health/", "//", "/HEALTH", "/health//", "//health", "/a//b", "/%2F", "/index.html"})
    void unknownPathsAreJsonNotFound(String path) throws Exception {
        assertNotFound(RawHttp.get(server.getPort(), path));
    }

    @Test
    void anEightKilobytePathIsStillJustNotFound() throws Exception {
        assertNotFound(RawHttp.get(server.getPort(), EIGHT_KB_PATH));
    }

    @ParameterizedTest
    @CsvSource({"POST, /", "PUT, /", "DELETE, /", "PATCH, /", "DELETE, /health", "POST, /health", "OPTIONS, /", "OPTIONS, /health"})
    void otherMethodsOnKnownPathsAreMethodNotAllowedWithAllow(String method, String path) throws Exception {
        RawHttp.Response response = RawHttp.send(server.getPort(),
                method + " " + path + " HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");

        assertEquals(405, response.status());
        assertEquals("application/json", response.header("Content-Type"));
        assertEquals("{\"message\":\"Method Not Allowed\"}", response.body());
        assertEquals("HEAD,GET", response.header("Allow"));
    }

    private static void assertNotFound(RawHttp.Response response) {
        assertEquals(404, response.status());
        assertEquals("application/json", response.header("Content-Type"));
        assertEquals("{\"message\":\"Not Found\"}", response.body());
    }
}
