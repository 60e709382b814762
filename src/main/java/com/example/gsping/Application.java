package com.example.gsping;

import java.util.Map;

/**
 * Entry point: resolves the port from {@code PORT} before anything heavy starts, then runs the
 * Micronaut server on it.
 */
public final class Application {

    private Application() {
    }

    public static void main(String[] args) {
        int port = 0;
        try {
            port = ServerPort.resolve(System.getenv(ServerPort.ENV_NAME));
        } catch (IllegalArgumentException e) {
            StartupFailure.exit(e.getMessage());
        }
        CleanStopOnSigterm.install();
        new CleanStartupMicronaut(port)
                .mainClass(Application.class)
                .banner(false)
                .properties(Map.of("micronaut.server.port", port))
                .args(args)
                .start();
    }
}
