package com.example.gsping.support;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;

/** Test-only route whose handler throws, standing in for any bug that escapes a handler. */
@Requires(property = FailingController.ENABLED, value = "true")
@Controller("/test-only")
public class FailingController {

    public static final String ENABLED = "test-routes.failing.enabled";
    public static final String SECRET = "secret-detail-42";

    @Get("/fail")
    String fail() {
        throw new IllegalStateException("internal " + SECRET);
    }
}
