package com.example.gsping.images;

import java.io.IOException;
import java.net.ServerSocket;

/** A loopback port that nothing listens on right now, for a container or a registry of a test to take. */
final class FreePort {

    private FreePort() {
    }

    static int pick() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
