package com.example.gsping.web;

import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;

/** The two routes of the Go original: the greeting and the health check. */
@Controller
public class PingController {

    static final String GREETING = "Hello, Docker! <3";
    /**
     * Spelled as echo's {@code c.HTML} sends it, so clients see the Go original's header byte for
     * byte. Declared on the route rather than set on an {@code HttpResponse}: the route's media type
     * is resolved once, and a plain return value skips the mutable response (~20% more requests per
     * CPU-second on {@code GET /}, src/bench/results/2026-12-06-what-paid.md).
     */
    static final String HTML_UTF8 = "text/html; charset=UTF-8";

    private static final HealthStatus OK = new HealthStatus("OK");

    @Get(produces = HTML_UTF8)
    public String greeting() {
        return GREETING;
    }

    @Get("/health")
    public HealthStatus health() {
        return OK;
    }
}
