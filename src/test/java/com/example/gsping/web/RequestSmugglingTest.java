package com.example.gsping.web;

import com.example.gsping.support.RawHttp;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Requests whose body length two HTTP parsers could read differently (RFC 9112 §6) are refused
 * with 400 and the connection is closed, so the bytes after them, here always a second request,
 * are never answered. The chunked control case shows that the same second request is answered
 * when framing is clean, so "nothing after the 400" cannot pass by accident.
 */
@MicronautTest
class RequestSmugglingTest extends HostileInputTest {

    /** Smuggled after every attempt: answered only if the server kept reading the connection. */
    private static final String SMUGGLED = "GET /health HTTP/1.1\r\nHost: x\r\n\r\n";
    private static final String CHUNKED_EMPTY_BODY = "0\r\n\r\n";

    @ParameterizedTest
    @ValueSource(strings = {
        "Content-Length: 5\r\nTransfer-Encoding: chunked",
        "Transfer-Encoding: chunked\r\nContent-Length: 5",
        "Content-Length: 0\r\nTransfer-Encoding: chunked",
    })
    void bothContentLengthAndTransferEncodingAreRejectedAndNothingAfterIsAnswered(String framing) throws Exception {
        assertRejectedAndNothingAfterAnswered(400, post(framing) + CHUNKED_EMPTY_BODY + SMUGGLED);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "Content-Length: 4\r\nContent-Length: 5",
        "Content-Length: 4\r\nContent-Length: 4",
        "Content-Length: 4, 5",
        "Content-Length: 4, 4",
    })
    void duplicateOrConflictingContentLengthIsRejected(String framing) throws Exception {
        assertRejectedAndNothingAfterAnswered(400, post(framing) + "abcd" + SMUGGLED);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "Transfer-Encoding: chunked, identity",
        "Transfer-Encoding: identity",
        "Transfer-Encoding: gzip, chunked",
        "Transfer-Encoding: chunked, chunked",
        "Transfer-Encoding: xchunked",
        "Transfer-Encoding: chunk",
        "Transfer-Encoding: chunked\r\nTransfer-Encoding: identity",
        "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked",
        "Transfer-Encoding : chunked",
        "Transfer-Encoding:\r\n chunked",
        "Transfer-Encoding: \"chunked\"",
    })
    void obfuscatedTransferEncodingIsRejected(String framing) throws Exception {
        assertRejectedAndNothingAfterAnswered(400, post(framing) + CHUNKED_EMPTY_BODY + SMUGGLED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Transfer-Encoding: chunked", "Transfer-Encoding: chunked\r\nContent-Length: 5"})
    void transferEncodingOnHttp10IsRejected(String framing) throws Exception {
        assertRejectedAndNothingAfterAnswered(400,
                "POST /nope HTTP/1.0\r\nHost: x\r\n" + framing + "\r\n\r\n" + CHUNKED_EMPTY_BODY + SMUGGLED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"99999999999999999999", "-1", "-0", "+4", "4 4", "0x10", ""})
    void malformedOrNegativeContentLengthIsRejected(String contentLength) throws Exception {
        assertRejectedAndNothingAfterAnswered(400, post("Content-Length: " + contentLength) + "abcd" + SMUGGLED);
    }

    /** Over micronaut.server.max-request-size (10 MB): refused before routing, not waited for. */
    @ParameterizedTest
    @ValueSource(strings = {"10485761", "1000000000000", "9223372036854775807"})
    void contentLengthOverTheRequestSizeLimitIsRejected(String contentLength) throws Exception {
        assertRejectedAndNothingAfterAnswered(413, post("Content-Length: " + contentLength) + "abcd");
    }

    /** Control: clean chunked framing (any case, tab as whitespace) is served and the connection reused. */
    @ParameterizedTest
    @ValueSource(strings = {"Transfer-Encoding: chunked", "Transfer-Encoding: CHUNKED", "Transfer-Encoding:\tchunked"})
    void plainChunkedRequestIsServedAndTheNextRequestToo(String framing) throws Exception {
        try (RawHttp.Connection connection = RawHttp.Connection.open(port())) {
            connection.write(post(framing) + "4\r\nabcd\r\n" + CHUNKED_EMPTY_BODY + SMUGGLED);

            assertEquals(404, connection.readResponse().status());
            assertEquals(200, connection.readResponse().status());
        }
    }

    private static String post(String framingHeaders) {
        return "POST /nope HTTP/1.1\r\nHost: x\r\n" + framingHeaders + "\r\n\r\n";
    }

    private void assertRejectedAndNothingAfterAnswered(int status, String request) throws Exception {
        try (RawHttp.Connection connection = RawHttp.Connection.open(port())) {
            RawHttp.Response response = connection.write(request).readResponse();

            assertEquals(status, response.status());
            assertEquals("application/json", response.header("Content-Type"));
            assertEquals("close", response.header("Connection"));
            assertEquals("", connection.readUntilClosed(), "bytes after the refusal");
        }
    }
}
