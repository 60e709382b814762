package com.example.gsping.web;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpRequest;

/**
 * Makes routing exact, as in echo: {@code /health/} and {@code //} are not {@code /health} and
 * {@code /}. Micronaut's router drops a trailing slash, and java.net.URI reads a leading
 * {@code //} as an authority (a 400). Escaping those slashes as {@code %2F} before Micronaut parses
 * the request turns both into plain non-matches, which get the normal 404. The access log sits
 * earlier in the pipeline and records the path as sent.
 */
@ChannelHandler.Sharable
final class ExactPathHandler extends ChannelInboundHandlerAdapter {

    static final String NAME = "exact-path";
    private static final String ESCAPED_SLASH = "%2F";

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest request) {
            String escaped = escapeRedundantSlashes(request.uri());
            if (escaped != null) {
                request.setUri(escaped);
            }
        }
        ctx.fireChannelRead(msg);
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
