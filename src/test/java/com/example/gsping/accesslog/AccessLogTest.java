package com.example.gsping.accesslog;

import ch.qos.logback.classic.spi.ILoggingEvent;
import com.example.gsping.support.LogCapture;
import com.example.gsping.support.RawHttp;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@MicronautTest
class AccessLogTest {

    private static final String ACCESS_LOGGER = "HTTP_ACCESS_LOGGER";

    @Inject
    EmbeddedServer server;

    @Inject
    JsonMapper json;

    @Test
    void eachRequestIsOneJsonLineWithEchoLoggerFields() throws Exception {
        try (LogCapture log = new LogCapture(ACCESS_LOGGER)) {
            RawHttp.send(server.getPort(), "POST /nope?q=1 HTTP/1.1\r\nHost: gs.example:1234\r\n"
                    + "User-Agent: probe/1.0 \"quoted\" \\slash\r\nContent-Length: 5\r\n\r\nhello");

            ILoggingEvent event = log.await(e -> e.getFormattedMessage().contains("/nope?q=1"));
            String line = event.getFormattedMessage();
            assertTrue(!line.contains("\n"), "one line");
            JsonNode entry = json.readValue(line, JsonNode.class);

            assertTrue(Duration.between(Instant.parse(entry.get("time").getStringValue()), Instant.now()).abs().getSeconds() < 60);
            assertEquals("127.0.0.1", entry.get("remote_ip").getStringValue());
            assertEquals("gs.example:1234", entry.get("host").getStringValue());
            assertEquals("POST", entry.get("method").getStringValue());
            assertEquals("/nope?q=1", entry.get("uri").getStringValue());
            assertEquals("probe/1.0 \"quoted\" \\slash", entry.get("user_agent").getStringValue());
            assertEquals(404, entry.get("status").getIntValue());
            assertTrue(entry.get("latency_us").getLongValue() >= 0);
            assertEquals(5, entry.get("bytes_in").getLongValue());
            assertEquals("{\"message\":\"Not Found\"}".length(), entry.get("bytes_out").getLongValue());
        }
    }

    @Test
    void requestsRejectedByTheDecoderAreLoggedToo() throws Exception {
        try (LogCapture log = new LogCapture(ACCESS_LOGGER)) {
            RawHttp.send(server.getPort(), "GET /" + "x".repeat(20_000) + " HTTP/1.1\r\nHost: x\r\n\r\n");

            ILoggingEvent event = log.await(e -> e.getFormattedMessage().contains("\"status\":414"));
            assertEquals(414, json.readValue(event.getFormattedMessage(), JsonNode.class).get("status").getIntValue());
        }
    }
}
