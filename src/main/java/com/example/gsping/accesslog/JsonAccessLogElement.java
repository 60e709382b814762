package com.example.gsping.accesslog;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.micronaut.http.server.netty.handler.accesslog.element.ConnectionMetadata;
import io.micronaut.http.server.netty.handler.accesslog.element.LogElement;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;

/**
 * The whole access-log line as one JSON object, with the fields of echo's Logger middleware.
 *
 * <p>It plugs into Micronaut's Netty access logger rather than a server filter because only the
 * Netty pipeline sees every response (including the 400s Netty's decoder sends itself) and the
 * bytes actually written. Micronaut's own elements are not JSON-safe (no quoting, "-" for missing
 * values), hence one element that renders the line with Jackson's string escaping.
 */
final class JsonAccessLogElement implements LogElement {

    private static final Set<Event> EVENTS = EnumSet.of(
            Event.ON_REQUEST_HEADERS, Event.ON_RESPONSE_HEADERS, Event.ON_RESPONSE_WRITE, Event.ON_LAST_RESPONSE_WRITE);
    private static final JsonStringEncoder ENCODER = JsonStringEncoder.getInstance();

    private Instant time;
    private long startNanos;
    private String remoteIp;
    private String host;
    private String method;
    private String uri;
    private String userAgent;
    private long bytesIn;
    private String status;
    private long bytesOut;

    @Override
    public Set<Event> events() {
        return EVENTS;
    }

    @Override
    public String onRequestHeaders(ConnectionMetadata metadata, String method, HttpHeaders headers, String uri, String protocol) {
        this.startNanos = System.nanoTime();
        this.time = Instant.now();
        this.remoteIp = metadata.remoteAddress().flatMap(ConnectionMetadata::getHostAddress).orElse("");
        this.host = headers.get(HttpHeaderNames.HOST, "");
        this.method = method;
        this.uri = uri;
        this.userAgent = headers.get(HttpHeaderNames.USER_AGENT, "");
        this.bytesIn = contentLength(headers);
        return null;
    }

    @Override
    public String onResponseHeaders(ChannelHandlerContext ctx, HttpHeaders headers, String status) {
        this.status = status;
        return null;
    }

    @Override
    public void onResponseWrite(int bytesSent) {
        bytesOut += bytesSent;
    }

    @Override
    public String onLastResponseWrite(int bytesSent) {
        bytesOut += bytesSent;
        long latencyMicros = (System.nanoTime() - startNanos) / 1_000;
        StringBuilder line = new StringBuilder(256);
        line.append("{\"time\":\"").append(time).append('"');
        string(line, "remote_ip", remoteIp);
        string(line, "host", host);
        string(line, "method", method);
        string(line, "uri", uri);
        string(line, "user_agent", userAgent);
        line.append(",\"status\":").append(status);
        line.append(",\"latency_us\":").append(latencyMicros);
        line.append(",\"bytes_in\":").append(bytesIn);
        line.append(",\"bytes_out\":").append(bytesOut);
        return line.append('}').toString();
    }

    @Override
    public void reset() {
        time = null;
        startNanos = 0;
        remoteIp = host = method = uri = userAgent = status = null;
        bytesIn = bytesOut = 0;
    }

    @Override
    public LogElement copy() {
        return new JsonAccessLogElement();
    }

    private static void string(StringBuilder line, String name, String value) {
        line.append(",\"").append(name).append("\":\"");
        ENCODER.quoteAsString(value, line);
        line.append('"');
    }

    private static long contentLength(HttpHeaders headers) {
        String value = headers.get(HttpHeaderNames.CONTENT_LENGTH);
        if (value == null) {
            return 0;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
