package com.example.gsping.web;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;

/**
 * Answers whatever the request's Accept header says, as the Go original does: each route has one
 * representation. Micronaut would otherwise answer 406 when Accept does not list the route's type
 * ({@code GET /} with {@code Accept: text/html} got 406 on the JSON default, {@code /health} with
 * {@code Accept: text/plain} too). Sits just before Micronaut's request handler.
 */
@ChannelHandler.Sharable
final class AcceptIgnoredHandler extends ChannelInboundHandlerAdapter {

    static final String NAME = "accept-ignored";

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest request) {
            request.headers().remove(HttpHeaderNames.ACCEPT);
        }
        ctx.fireChannelRead(msg);
    }
}
