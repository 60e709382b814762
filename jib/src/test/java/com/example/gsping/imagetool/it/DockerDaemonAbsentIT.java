package com.example.gsping.imagetool.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.example.gsping.imagetool.fixtures.LocalServices;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/**
 * The guard of the daemon-dependent tests (DockerParityIT): with no daemon behind DOCKER_HOST
 * they stop at once with one line saying so and how to start one, not a hang or a stack.
 */
class DockerDaemonAbsentIT {
  private static final String NOWHERE = "unix:///nonexistent/docker.sock";

  @Test
  void noDaemonFailsTheDockerTestsInOneLineSayingHowToStartOne() {
    AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> LocalServices.requireDocker(Map.of("DOCKER_HOST", NOWHERE)));
    assertEquals("Docker daemon not reachable (Cannot connect to the Docker daemon at " + NOWHERE
        + ". Is the docker daemon running?); start it: bash jib/local-env.sh", e.getMessage());
  }

  @Test
  void theRunningDaemonPassesTheSameCheck() {
    LocalServices.requireDocker(Map.of());
  }
}
