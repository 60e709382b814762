package com.example.gsping.support;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

/** Test-only route that takes a while, to have a request in flight when SIGTERM arrives. */
@Requires(property = SlowController.ENABLED, value = "true")
@Controller("/test-only")
public class SlowController {

    public static final String ENABLED = "test-routes.slow.enabled";
    public static final long DELAY_MS = 2_000;

    @Get("/slow")
    @ExecuteOn(TaskExecutors.BLOCKING)
    String slow() throws InterruptedException {
        Thread.sleep(DELAY_MS);
        return "slow done";
    }
}
