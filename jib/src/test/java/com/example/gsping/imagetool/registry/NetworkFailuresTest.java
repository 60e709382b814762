package com.example.gsping.imagetool.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import org.junit.jupiter.api.Test;

class NetworkFailuresTest {
  private static final String REGISTRY = "registry 127.0.0.1:5000";

  @Test
  void refusedConnectionIsUnreachable() {
    assertEquals(REGISTRY + " unreachable: Connection refused",
        NetworkFailures.describe(REGISTRY, new ConnectException("Connection refused")).getMessage());
  }

  /** Seen when a registry was killed just after accepting the connection (RegistryCrashIT). */
  @Test
  void resetWrappedInAConnectExceptionIsALostConnection() {
    IOException e = new ConnectException("Connection reset by peer");
    e.initCause(new IOException("Connection reset by peer"));
    assertEquals(REGISTRY + ": connection lost before it answered (Connection reset by peer)",
        NetworkFailures.describe(REGISTRY, e).getMessage());
  }

  @Test
  void endOfStreamIsALostConnection() {
    assertEquals(REGISTRY + ": connection lost before it answered (EOF reached while reading)",
        NetworkFailures.describe(REGISTRY, new IOException("request failed", new EOFException("EOF reached while reading")))
            .getMessage());
  }
}
