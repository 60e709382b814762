package com.example.gsping.web;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;

/**
 * Rewrites each request, just before Micronaut's request handler, so that Micronaut answers it as
 * the Go original (echo on net/http) does. One handler for the three rewrites: each pipeline
 * handler is a hop for every message of every request. The access log sits earlier in the pipeline
 * and records the request as sent.
 */
@ChannelHandler.Sharable
final class GoSemanticsHandler extends ChannelInboundHandlerAdapter {

    static final String NAME = "go-semantics";
    private static final String ESCAPED_SLASH = "%2F";

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest request) {
            exactPath(request);
            headAsGet(request);
            // each route has one representation and the Go original ignores Accept; Micronaut would
            // answer 406 when Accept does not list the route's type (GET / with Accept: text/html)
            request.headers().remove(HttpHeaderNames.ACCEPT);
        }
        ctx.fireChannelRead(msg);
    }

    /**
     * Makes routing exact, as in echo: {@code /health/} and {@code //} are not {@code /health} and
     * {@code /}. Micronaut's router drops a trailing slash, and java.net.URI reads a leading
     * {@code //} as an authority (a 400). Escaping those slashes as {@code %2F} before Micronaut
     * parses the request turns both into plain non-matches, which get the normal 404.
     */
    private static void exactPath(HttpRequest request) {
        String escaped = escapeRedundantSlashes(request.uri());
        if (escaped != null) {
            request.setUri(escaped);
        }
    }

    /**
     * Answers HEAD as net/http does: the GET route runs and the body is dropped, so HEAD carries
     * GET's headers. Micronaut strips a HEAD response's body before encoding it, which loses
     * Content-Type and Content-Length, and without a length it closes the connection. Sitting after
     * the HTTP codec, this only changes what Micronaut sees: the codec has already queued the
     * request as HEAD, so its encoder still sends no body.
     */
    private static void headAsGet(HttpRequest request) {
        if (HttpMethod.HEAD.equals(request.method())) {
            request.setMethod(HttpMethod.GET);
        }
    }

    /** @return the request-target with redundant slashes escaped, or null when it has none */
    static String escapeRedundantSlashes(String uri) {
        int queryStart = uri.indexOf('?');
        int pathEnd = queryStart < 0 ? uri.length() : queryStart;
        if (!uri.startsWith("/") || !hasRedundantSlash(uri, pathEnd)) {
            return null;
        }
        StringBuilder escaped = new StringBuilder(uri.length() + 8).append('/');
        for (int i = 1; i < pathEnd; i++) {
            char c = uri.charAt(i);
            boolean redundant = c == '/' && (uri.charAt(i - 1) == '/' || i == pathEnd - 1);
            if (redundant) {
                escaped.append(ESCAPED_SLASH);
            } else {
                escaped.append(c);
            }
        }
        return escaped.append(uri, pathEnd, uri.length()).toString();
    }

    private static boolean hasRedundantSlash(String uri, int pathEnd) {
        int doubleSlash = uri.indexOf("//");
        return (pathEnd > 1 && uri.charAt(pathEnd - 1) == '/') || (doubleSlash >= 0 && doubleSlash < pathEnd);
    }
}
