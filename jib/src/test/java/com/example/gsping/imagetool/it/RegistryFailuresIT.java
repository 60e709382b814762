package com.example.gsping.imagetool.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.example.gsping.imagetool.fixtures.CliRun;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A registry that is not there: one line naming it and the cause, exit 1. */
class RegistryFailuresIT {
  @TempDir Path store;

  @Test
  void unreachableRegistryPortIsReportedInOneLine() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort(); // free once closed: nothing listens there
    }
    for (String[] args : new String[][] {{"ls", "127.0.0.1:" + port + "/app"}, {"history", "127.0.0.1:" + port + "/app:v1"},
        {"untag", "127.0.0.1:" + port + "/app:v1"}}) {
      CliRun r = CliRun.run(store, args);
      assertEquals(1, r.exitCode());
      assertEquals("imagetool: registry 127.0.0.1:" + port + " unreachable: Connection refused\n", r.err());
    }
  }
}
