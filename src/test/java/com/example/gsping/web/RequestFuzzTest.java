package com.example.gsping.web;

import ch.qos.logback.classic.spi.ILoggingEvent;
import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.api.SilentCloseable;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.example.gsping.support.LogCapture;
import com.example.gsping.support.RawHttp;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.slf4j.Logger;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzzes the whole request path of the real server: bytes built from the fuzzer's data are sent
 * over a socket to an embedded server, which must answer with well-formed HTTP/1.x responses
 * below 500 (or close the connection without one), within the socket timeout, without logging a
 * stack trace, and must still answer {@code /health}.
 * <p>
 * Without {@code JAZZER_FUZZ} this replays the seed corpus in
 * {@code src/test/resources/com/example/gsping/web/RequestFuzzTestInputs/}; the build sets it,
 * so {@code mvn verify} also fuzzes, bounded by the annotation's limits.
 */
class RequestFuzzTest {

    /** Each response in what the server sent starts with a status line; bodies never echo input. */
    private static final Pattern STATUS_LINE = Pattern.compile("(?m)^HTTP/1\\.[01] (\\d{3}) [^\\r\\n]*\\r\\n");
    private static final List<String> METHODS = List.of("GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "TRACE", "CONNECT");
    private static final List<String> TARGETS = List.of("/", "/health", "/nope", "//", "/health/", "*", "http://x/health", "/%ZZ", "/?q=1");
    private static final List<String> VERSIONS = List.of("HTTP/1.1", "HTTP/1.0", "HTTP/0.9", "HTTP/2.0", "HTTP/1.1 ", "http/1.1");
    private static final List<String> HEADER_NAMES = List.of("Host", "Content-Length", "Transfer-Encoding", "Connection",
            "Expect", "Content-Type", "Content-Encoding", "Upgrade", "Accept", "Transfer-Encoding ");
    private static final List<String> HEADER_VALUES = List.of("x", "0", "5", "-1", "99999999999999999999", "chunked",
            "chunked, identity", "identity", "close", "keep-alive", "100-continue", "h2c", "gzip", "application/json");
    private static final List<String> LINE_ENDS = List.of("\r\n", "\r\n", "\r\n", "\n", "\r", "\r\r\n");
    private static final int MAX_HEADERS = 8;

    private static EmbeddedServer server;
    private static LogCapture applicationLog;

    @BeforeAll
    static void startServer() {
        server = ApplicationContext.run(EmbeddedServer.class);
        applicationLog = new LogCapture(Logger.ROOT_LOGGER_NAME);
    }

    @AfterAll
    static void stopServer() {
        applicationLog.close();
        server.close();
    }

    @FuzzTest(maxExecutions = 1_000, maxDuration = "30s")
    void anyRequestGetsWellFormedResponsesBelow500OrAClose(FuzzedDataProvider data) throws Exception {
        byte[] request = data.consumeBoolean() ? data.consumeRemainingAsBytes() : structuredRequest(data);

        // Jazzer's SSRF detector flags every connection the test opens unless allowed; its agent is only there from here on.
        try (SilentCloseable toServerOnly = BugDetectors.allowNetworkConnections((host, port) -> port == server.getPort())) {
            String received;
            try (RawHttp.Connection connection = RawHttp.Connection.open(server.getPort())) {
                connection.write(request).shutdownOutput();
                received = connection.readUntilClosed();
            }

            assertWellFormedAndBelow500(received);
            assertEquals(List.of(), applicationLog.logged(e -> e.getThrowableProxy() != null), "logged with a stack trace");
            assertEquals(200, RawHttp.get(server.getPort(), "/health").status());
        }
    }

    /** A request line, headers and body, each part either drawn from likely-interesting values or raw. */
    private static byte[] structuredRequest(FuzzedDataProvider data) {
        String lineEnd = data.pickValue(LINE_ENDS);
        StringBuilder request = new StringBuilder()
                .append(pickOrRaw(data, METHODS)).append(' ')
                .append(pickOrRaw(data, TARGETS)).append(' ')
                .append(pickOrRaw(data, VERSIONS)).append(lineEnd);
        int headers = data.consumeInt(0, MAX_HEADERS);
        for (int i = 0; i < headers; i++) {
            request.append(pickOrRaw(data, HEADER_NAMES)).append(": ").append(pickOrRaw(data, HEADER_VALUES)).append(lineEnd);
        }
        request.append(lineEnd);
        byte[] head = request.toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] body = data.consumeRemainingAsBytes();
        byte[] bytes = new byte[head.length + body.length];
        System.arraycopy(head, 0, bytes, 0, head.length);
        System.arraycopy(body, 0, bytes, head.length, body.length);
        return bytes;
    }

    private static String pickOrRaw(FuzzedDataProvider data, List<String> likely) {
        return data.consumeBoolean() ? data.pickValue(likely) : new String(data.consumeBytes(data.consumeInt(0, 64)), StandardCharsets.ISO_8859_1);
    }

    private static void assertWellFormedAndBelow500(String received) {
        if (received.isEmpty()) {
            return; // closed without an answer: allowed
        }
        Matcher statusLine = STATUS_LINE.matcher(received);
        assertTrue(statusLine.lookingAt(), "starts with a status line: " + received);
        do {
            int status = Integer.parseInt(statusLine.group(1));
            assertTrue(status < 500, "status " + status + " in: " + received);
        } while (statusLine.find());
    }
}
