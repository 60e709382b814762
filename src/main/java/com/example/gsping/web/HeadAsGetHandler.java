package com.example.gsping.web;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;

/**
 * Answers HEAD as net/http does: the GET route runs and the body is dropped, so HEAD carries GET's
 * headers. Micronaut strips a HEAD response's body before encoding it, which loses Content-Type and
 * Content-Length, and without a length it closes the connection. Sitting after the HTTP codec, this
 * handler only changes what Micronaut sees: the codec has already queued the request as HEAD, so its
 * encoder still sends no body.
 */
@ChannelHandler.Sharable
final class HeadAsGetHandler extends ChannelInboundHandlerAdapter {

    static final String NAME = "head-as-get";

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest request && HttpMethod.HEAD.equals(request.method())) {
            request.setMethod(HttpMethod.GET);
        }
        ctx.fireChannelRead(msg);
    }
}
