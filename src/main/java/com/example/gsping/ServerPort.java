package com.example.gsping;

/**
 * The listening port comes from env {@code PORT} (see application.yml); this rejects values that
 * Micronaut would otherwise turn into a conversion stack trace or a random port.
 */
final class ServerPort {

    static final String ENV_NAME = "PORT";
    static final int MIN = 1;
    static final int MAX = 65535;

    private ServerPort() {
    }

    /**
     * @param raw the value of {@code PORT}, or {@code null} when unset (the default port applies)
     * @throws IllegalArgumentException naming the problem and the value
     */
    static void validate(String raw) {
        if (raw == null) {
            return;
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
    }

    private static String describe(String raw, String problem) {
        return "invalid " + ENV_NAME + " '" + raw + "': " + problem + " (expected an integer from " + MIN + " to " + MAX + ")";
    }
}
