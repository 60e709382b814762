package com.example.gsping.web;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;

/** The two routes of the Go original: the greeting and the health check. */
@Controller
public class PingController {

    static final String GREETING = "Hello, Docker! <3";
    /** Spelled as echo's {@code c.HTML} sends it, so clients see the Go original's header byte for byte. */
    static final String HTML_UTF8 = "text/html; charset=UTF-8";

    private static final HealthStatus OK = new HealthStatus("OK");

    @Get
    public HttpResponse<String> greeting() {
        return HttpResponse.ok(GREETING).header(HttpHeaders.CONTENT_TYPE, HTML_UTF8);
    }

    @Get("/health")
    public HealthStatus health() {
        return OK;
    }
}
