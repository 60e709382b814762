package com.example.gsping.web;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;

/** The two routes of the Go original: the greeting and the health check. */
@Controller
public class PingController {

    static final String GREETING = "Hello, Docker! <3";
    /** Spelled as echo's {@code c.HTML} sends it, so clients see the Go original's header byte for byte. */
    static final String HTML_UTF8 = "text/html; charset=UTF-8";
    /** Parsed once: a header string set per response is parsed into a MediaType on every request. */
    private static final MediaType HTML_UTF8_TYPE = MediaType.of(HTML_UTF8);

    private static final HealthStatus OK = new HealthStatus("OK");

    @Get
    public HttpResponse<String> greeting() {
        return HttpResponse.ok(GREETING).contentType(HTML_UTF8_TYPE);
    }

    @Get("/health")
    public HealthStatus health() {
        return OK;
    }
}
