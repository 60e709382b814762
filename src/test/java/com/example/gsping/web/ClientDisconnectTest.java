package com.example.gsping.web;

import com.example.gsping.support.RawHttp;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

/**
 * Clients that vanish mid-request, with an orderly close or a TCP reset: the server drops the
 * connection quietly (see {@link HostileInputTest}: no stack trace, no 5xx) and keeps serving.
 */
@MicronautTest
class ClientDisconnectTest extends HostileInputTest {

    /** Time for the server's event loop to read what was sent, and later to see the disconnect. */
    private static final long SETTLE_MS = 300;

    static Stream<Arguments> partialRequests() {
        return Stream.of(
                "GET /hea",
                "GET /health HTTP/1.1\r\nHost: x\r\nX-Partial: ab",
                "POST /nope HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nhalf of the body",
                "POST /nope HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n10\r\nhalf a chunk")
            .flatMap(partial -> Stream.of(Arguments.of(partial, false), Arguments.of(partial, true)));
    }

    @ParameterizedTest(name = "[{index}] reset={1}: {0}")
    @MethodSource("partialRequests")
    void clientDisconnectingMidRequestLeavesTheServerServing(String partialRequest, boolean reset) throws Exception {
        RawHttp.Connection connection = RawHttp.Connection.open(port()).write(partialRequest);
        Thread.sleep(SETTLE_MS);
        if (reset) {
            connection.reset();
        } else {
            connection.close();
        }
        Thread.sleep(SETTLE_MS);
    }
}
