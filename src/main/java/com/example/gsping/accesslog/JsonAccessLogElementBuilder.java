package com.example.gsping.accesslog;

import io.micronaut.http.server.netty.handler.accesslog.element.LogElement;
import io.micronaut.http.server.netty.handler.accesslog.element.LogElementBuilder;

/**
 * Registers {@code %j} (see META-INF/services) for Micronaut's access-log format: the whole line
 * as JSON. Configured in application.yml as {@code micronaut.server.netty.access-logger.log-format}.
 */
public final class JsonAccessLogElementBuilder implements LogElementBuilder {

    static final String TOKEN = "j";

    @Override
    public LogElement build(String token, String param) {
        return TOKEN.equals(token) ? new JsonAccessLogElement() : null;
    }
}
