package com.example.gsping;

/**
 * How the process reports a failure to start: one line on stderr and a non-zero exit, because a
 * container log that starts with a wall of stack trace hides the one fact the operator needs.
 */
final class StartupFailure {

    static final int EXIT_CODE = 1;

    private StartupFailure() {
    }

    static void exit(String reason) {
        System.err.println("docker-gs-ping: " + reason);
        System.exit(EXIT_CODE);
    }
}
