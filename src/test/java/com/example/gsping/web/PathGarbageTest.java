package com.example.gsping.web;

import com.example.gsping.support.RawHttp;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Non-UTF-8 bytes and broken percent-encoding in the request target: a JSON 400 or 404, never a 5xx. */
@MicronautTest
class PathGarbageTest extends HostileInputTest {

    /** Request targets as hex, since several are not valid UTF-8 and cannot be spelled as Java strings. */
    @ParameterizedTest
    @ValueSource(strings = {
        "2fff",             // /0xFF
        "2fc0",             // /0xC0, a lead byte with nothing after it
        "2fc0af",           // /0xC0 0xAF, overlong '/'
        "2fe080af",         // overlong '/' in three bytes
        "2fedb080",         // a UTF-16 surrogate encoded as UTF-8
        "2f6865616c7468ff", // /health0xFF
    })
    void rawNonUtf8BytesInThePath(String targetHex) throws Exception {
        assertJsonClientError(send(HexFormat.of().parseHex(targetHex)));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "/%ZZ", "/%", "/%2", "/health%", "/%C0%AF", "/%c0%ae%c0%ae/health", "/%00", "/health%00", "/%FF",
        "/%E0%80%AF", "/%ED%B0%80", "/%25%", "/%%30%30", "/?%ZZ", "/health?a=%", "/nope?%00=%ff",
        "/..%2Fhealth", "/%2e%2e/health",
    })
    void brokenPercentEncoding(String target) throws Exception {
        assertJsonClientError(send(target.getBytes(StandardCharsets.US_ASCII)));
    }

    private RawHttp.Response send(byte[] target) throws Exception {
        try (RawHttp.Connection connection = RawHttp.Connection.open(port())) {
            connection.write("GET ").write(target).write(" HTTP/1.1\r\nHost: x\r\n\r\n");
            return connection.readResponse();
        }
    }

    private static void assertJsonClientError(RawHttp.Response response) {
        assertTrue(Set.of(400, 404).contains(response.status()), "status " + response.status());
        assertEquals("application/json", response.header("Content-Type"));
        assertTrue(response.body().startsWith("{\"message\":\""), response.body());
    }
}
