package com.example.gsping.web;

import com.example.gsping.support.RawHttp;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Client garbage gets a 4xx and a closed connection. */
@MicronautTest
class MalformedRequestTest extends HostileInputTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "GARBAGE\r\n\r\n",
        "GET\r\n\r\n",
        "GET / HTTP/1.1 extra\r\nHost: x\r\n\r\n",
    })
    void malformedRequestLineIsBadRequestAndCloses(String request) throws Exception {
        assertBadRequestAndClosed(RawHttp.sendAndWatchClose(port(), request.getBytes(StandardCharsets.ISO_8859_1)));
    }

    /** Micronaut would echo these in its status line ({@code HTTP/0.0 200 OK}), a malformed response; found by RequestFuzzTest. */
    @ParameterizedTest
    @ValueSource(strings = {"HTTP/0.0", "HTTP/0.9", "HTTP/1.2", "HTTP/2.0", "HTTP/9.9"})
    void unsupportedProtocolVersionIsBadRequestAndCloses(String version) throws Exception {
        byte[] request = ("GET /health " + version + "\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        assertBadRequestAndClosed(RawHttp.sendAndWatchClose(port(), request));
        byte[] alsoMalformed = ("GET /health " + version + "\r\nNoColonHere\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        assertBadRequestAndClosed(RawHttp.sendAndWatchClose(port(), alsoMalformed));
    }

    @Test
    void controlByteInAHeaderNameIsBadRequestAndCloses() throws Exception {
        byte[] request = "GET / HTTP/1.1\r\nHost: x\r\nBad\u0001Name: v\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
        assertBadRequestAndClosed(RawHttp.sendAndWatchClose(port(), request));
    }

    @Test
    void headerWithoutColonIsBadRequestAndCloses() throws Exception {
        byte[] request = "GET / HTTP/1.1\r\nHost: x\r\nNoColonHere\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
        assertBadRequestAndClosed(RawHttp.sendAndWatchClose(port(), request));
    }

    @Test
    void tooLargeHeadersAre431AndClose() throws Exception {
        byte[] request = ("GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(64 * 1024) + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        RawHttp.Response response = RawHttp.sendAndWatchClose(port(), request);

        assertEquals(431, response.status());
        assertEquals("{\"message\":\"Request Header Fields Too Large\"}", response.body());
        assertTrue(response.closed(), "connection closed");
    }

    @Test
    void tooLongUriIs414AndCloses() throws Exception {
        byte[] request = ("GET /" + "a".repeat(100 * 1024) + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        RawHttp.Response response = RawHttp.sendAndWatchClose(port(), request);

        assertEquals(414, response.status());
        assertEquals("{\"message\":\"Request-URI Too Long\"}", response.body());
        assertTrue(response.closed(), "connection closed");
    }

    private static void assertBadRequestAndClosed(RawHttp.Response response) {
        assertEquals(400, response.status());
        assertEquals("{\"message\":\"Bad Request\"}", response.body());
        assertTrue(response.closed(), "connection closed");
    }
}
