package com.example.gsping.web;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;

/**
 * Request headers that remember a Content-Length which Netty's decoder dropped because the request
 * also has {@code Transfer-Encoding: chunked}. Netty then reads the body as chunked and keeps the
 * connection open, so the dropped header leaves no trace, yet a front end that framed the same
 * bytes by Content-Length sees a different request boundary: the classic smuggling set-up.
 * {@link RequestFraming} rejects such requests by this mark.
 */
final class ContentLengthTrackingHeaders extends DefaultHttpHeaders {

    private boolean contentLengthDroppedForChunked;

    ContentLengthTrackingHeaders(DefaultHttpHeadersFactory validation) {
        super(validation.getNameValidator(), validation.getValueValidator());
    }

    boolean contentLengthDroppedForChunked() {
        return contentLengthDroppedForChunked;
    }

    @Override
    public HttpHeaders remove(CharSequence name) {
        if (HttpHeaderNames.CONTENT_LENGTH.contentEqualsIgnoreCase(name) && contains(HttpHeaderNames.TRANSFER_ENCODING)) {
            contentLengthDroppedForChunked = true;
        }
        return super.remove(name);
    }
}
