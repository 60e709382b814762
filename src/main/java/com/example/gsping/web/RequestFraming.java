package com.example.gsping.web;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

import java.util.List;

/**
 * The body-framing rules Netty's decoder leaves lenient (RFC 9112 §6): where two parties could
 * disagree on where a request ends, the request is refused rather than guessed at. Netty itself
 * already refuses malformed, negative and conflicting Content-Length values.
 */
final class RequestFraming {

    private RequestFraming() {
    }

    /** @return the status to refuse the request with, or null when its framing is unambiguous and acceptable */
    static HttpResponseStatus violation(HttpRequest request, long maxRequestSize) {
        // contains() first: getAll() copies into a new list, and almost no request has the header
        if (request.headers().contains(HttpHeaderNames.TRANSFER_ENCODING)
                && !isPlainChunkedHttp11(request, request.headers().getAll(HttpHeaderNames.TRANSFER_ENCODING))) {
            return HttpResponseStatus.BAD_REQUEST;
        }
        if (HttpUtil.getContentLength(request, 0L) > maxRequestSize) {
            return HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE;
        }
        return null;
    }

    /**
     * Transfer-Encoding is acceptable only as exactly {@code chunked}, on HTTP/1.1, without a
     * Content-Length. Otherwise chunked is missing, repeated or not last (§6.3 item 4: 400 and
     * close), or comes after a coding this server does not implement (§6.1 suggests 501; a client's
     * bytes never get a 5xx here), or the request is HTTP/1.0, whose framing with Transfer-Encoding
     * is faulty (§6.1), or a Content-Length came with it, which §6.1 lets a server reject.
     */
    private static boolean isPlainChunkedHttp11(HttpRequest request, List<String> transferEncodings) {
        return transferEncodings.size() == 1
                && HttpHeaderValues.CHUNKED.contentEqualsIgnoreCase(transferEncodings.get(0))
                && request.protocolVersion().equals(HttpVersion.HTTP_1_1)
                && !(request.headers() instanceof ContentLengthTrackingHeaders headers && headers.contentLengthDroppedForChunked());
    }
}
