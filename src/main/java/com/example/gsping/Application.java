package com.example.gsping;

/**
 * Entry point: validates {@code PORT} before anything heavy starts, then runs the Micronaut server.
 */
public final class Application {

    private Application() {
    }

    public static void main(String[] args) {
        try {
            ServerPort.validate(System.getenv(ServerPort.ENV_NAME));
        } catch (IllegalArgumentException e) {
            StartupFailure.exit(e.getMessage());
        }
        new CleanStartupMicronaut().mainClass(Application.class).banner(false).args(args).start();
    }
}
