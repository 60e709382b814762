package com.example.gsping.web;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
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

import java.util.function.Function;

/**
 * Answers requests that Netty's decoder rejected for size with the precise status: 414 for a
 * request line over {@code max-initial-line-length}, 431 for headers over {@code max-header-size}.
 * Micronaut answers both with 413, which is meant for bodies. The connection is closed, since the
 * rest of the stream can no longer be parsed reliably.
 */
@ChannelHandler.Sharable
final class OversizedRequestHandler extends ChannelInboundHandlerAdapter {

    static final String NAME = "oversized-request";

    private final Function<HttpResponseStatus, byte[]> errorBody;

    /** @param errorBody renders the JSON error body for a status, as every other error is rendered */
    OversizedRequestHandler(Function<HttpResponseStatus, byte[]> errorBody) {
        this.errorBody = errorBody;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        HttpResponseStatus status = msg instanceof HttpRequest request ? statusFor(request.decoderResult().cause()) : null;
        if (status == null) {
            ctx.fireChannelRead(msg);
            return;
        }
        ReferenceCountUtil.release(msg);
        byte[] body = errorBody.apply(status);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }

    private static HttpResponseStatus statusFor(Throwable decoderFailure) {
        if (decoderFailure instanceof TooLongHttpLineException) {
            return HttpResponseStatus.REQUEST_URI_TOO_LONG;
        }
        if (decoderFailure instanceof TooLongHttpHeaderException) {
            return HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE;
        }
        return null;
    }
}
