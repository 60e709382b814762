package com.example.gsping;

/**
 * The listening port: env {@code PORT}, default 8080, as in the Go original. Validated here,
 * before Micronaut starts, because Micronaut would turn a bad value into a conversion stack trace
 * (or, for 0, a random port).
 */
final class ServerPort {

    static final String ENV_NAME = "PORT";
    static final int DEFAULT = 8080;
    static final int MIN = 1;
    static final int MAX = 65535;

    private ServerPort() {
    }

    /**
     * @param raw the value of {@code PORT}, or {@code null} when unset
     * @return the port to listen on
     * @throws IllegalArgumentException naming the problem and the value
     */
    static int resolve(String raw) {
        if (raw == null) {
            return DEFAULT;
        }
        int port;
        try {
            port = Integer.parseInt(raw.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(describe(raw, "is not a number"));
        }
        if (port < MIN || port > MAX) {
            throw new IllegalArgumentException(describe(raw, "is out of range"));
        }
        return port;
    }

    private static String describe(String raw, String problem) {
        return "invalid " + ENV_NAME + " '" + raw + "': " + problem + " (expected an integer from " + MIN + " to " + MAX + ")";
    }
}
