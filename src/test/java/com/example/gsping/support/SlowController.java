package com.example.gsping.support;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Produces;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

import java.util.concurrent.atomic.AtomicInteger;

/** Test-only route that takes a while, to have a request in flight when SIGTERM arrives. */
@Requires(property = SlowController.ENABLED, value = "true")
@Controller("/test-only")
public class SlowController {

    public static final String ENABLED = "test-routes.slow.enabled";
    public static final long DELAY_MS = 2_000;
    public static final String SLOW_PATH = "/test-only/slow";
    /** How many slow requests the server is working on: a test knows they are in flight, not just sent. */
    public static final String IN_FLIGHT_PATH = "/test-only/slow/in-flight";

    private final AtomicInteger inFlight = new AtomicInteger();

    @Get("/slow")
    @ExecuteOn(TaskExecutors.BLOCKING)
    String slow() throws InterruptedException {
        inFlight.incrementAndGet();
        try {
            Thread.sleep(DELAY_MS);
            return "slow done";
        } finally {
            inFlight.decrementAndGet();
        }
    }

    @Get("/slow/in-flight")
    @Produces(MediaType.TEXT_PLAIN)
    String inFlight() {
        return Integer.toString(inFlight.get());
    }
}
