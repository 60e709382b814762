package com.example.gsping.web;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;

import java.util.Set;
import java.util.function.Function;

/**
 * Refuses, before routing, requests whose bytes cannot be trusted to end where Micronaut would
 * think they end, and closes the connection, since the rest of the stream cannot be parsed
 * reliably (RFC 9112 §6.3):
 * <ul>
 * <li>414 for a request line over {@code max-initial-line-length}, 431 for headers over
 * {@code max-header-size} (Micronaut answers both with 413, which is meant for bodies);</li>
 * <li>400 for a protocol version other than HTTP/1.0 or HTTP/1.1, which Micronaut would echo
 * in its response's status line ({@code HTTP/0.0 200 OK}), even in its own 400;</li>
 * <li>400 for ambiguous body framing and 413 for a declared body over {@code max-request-size},
 * see {@link RequestFraming}.</li>
 * </ul>
 * Everything the decoder still produces on the connection after a refusal (the rest of the body,
 * a smuggled second request) is dropped, never routed. One instance per connection.
 */
final class RejectedRequestHandler extends ChannelInboundHandlerAdapter {

    static final String NAME = "rejected-request";
    private static final Set<HttpVersion> SUPPORTED_VERSIONS = Set.of(HttpVersion.HTTP_1_0, HttpVersion.HTTP_1_1);

    private final Function<HttpResponseStatus, byte[]> errorBody;
    private final long maxRequestSize;
    private boolean rejected;

    /**
     * @param errorBody renders the JSON error body for a status, as every other error is rendered
     * @param maxRequestSize {@code micronaut.server.max-request-size}
     */
    RejectedRequestHandler(Function<HttpResponseStatus, byte[]> errorBody, long maxRequestSize) {
        this.errorBody = errorBody;
        this.maxRequestSize = maxRequestSize;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (rejected) {
            ReferenceCountUtil.release(msg);
            return;
        }
        HttpResponseStatus status = msg instanceof HttpRequest request ? rejectionStatus(request) : null;
        if (status == null) {
            ctx.fireChannelRead(msg);
            return;
        }
        rejected = true;
        ReferenceCountUtil.release(msg);
        byte[] body = errorBody.apply(status);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }

    private HttpResponseStatus rejectionStatus(HttpRequest request) {
        Throwable decoderFailure = request.decoderResult().cause();
        if (decoderFailure instanceof TooLongHttpLineException) {
            return HttpResponseStatus.REQUEST_URI_TOO_LONG;
        }
        if (decoderFailure instanceof TooLongHttpHeaderException) {
            return HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE;
        }
        if (!SUPPORTED_VERSIONS.contains(request.protocolVersion())) {
            return HttpResponseStatus.BAD_REQUEST;
        }
        if (decoderFailure != null) {
            return null; // any other decoder failure is Micronaut's 400-and-close
        }
        return RequestFraming.violation(request, maxRequestSize);
    }
}
