package com.example.gsping;

import io.micronaut.context.env.Environment;
import io.micronaut.runtime.Micronaut;

import java.net.BindException;

/**
 * Micronaut's launcher, but a failed start (port in use, bad configuration) ends in one clear
 * line instead of Micronaut's default error log with the full stack trace.
 */
final class CleanStartupMicronaut extends Micronaut {

    private final int port;

    CleanStartupMicronaut(int port) {
        this.port = port;
    }

    @Override
    protected void handleStartupException(Environment environment, Throwable exception) {
        if (environment.getActiveNames().contains(Environment.TEST)) {
            super.handleStartupException(environment, exception);
        }
        StartupFailure.exit(describe(exception));
    }

    private String describe(Throwable exception) {
        for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
            if (cause instanceof BindException) {
                return "cannot listen on port " + port + ": " + cause.getMessage();
            }
        }
        Throwable root = exception;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return "startup failed: " + root;
    }
}
