package com.example.gsping.images;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No Docker daemon behind DOCKER_HOST (the shared one keeps running): {@code jib:dockerBuild} fails naming the
 * cause (Jib's own check, before it builds), builds that do not need a daemon are not stopped, and the
 * daemon-dependent tests fail in one line saying how to start one.
 */
class DockerDaemonAbsentIT {

    private static final String NOWHERE = "unix:///nonexistent/docker.sock";
    private static final Map<String, String> NO_DAEMON = Map.of("DOCKER_HOST", NOWHERE);
    private static final String CANNOT_CONNECT = "Cannot connect to the Docker daemon at " + NOWHERE + ". Is the docker daemon running?";

    @Test
    void dockerBuildWithoutADaemonFailsNamingTheCause() throws Exception {
        MavenJib.Outcome build = MavenJib.attempt("jib-no-daemon", true, NO_DAEMON, List.of("validate", "jib:dockerBuild@latest"));
        assertEquals(1, build.exitCode(), build.output());
        String output = build.output();
        assertTrue(output.contains("Failed to read output of 'docker info'"), output);
        assertTrue(output.contains(CANNOT_CONNECT), output);
        assertFalse(output.contains("Built image to Docker daemon"), output);
    }

    @Test
    void buildsWithoutDockerBuildAreNotStoppedByTheMissingDaemon() throws Exception {
        MavenJib.Outcome build = MavenJib.attempt("jib-no-daemon", true, NO_DAEMON, List.of("validate"));
        assertEquals(0, build.exitCode(), build.output());
    }

    @Test
    void daemonDependentTestsStopInOneLineSayingHowToStartOne() throws Exception {
        AssertionError e = assertThrows(AssertionError.class, () -> new DockerCli(NO_DAEMON).requireDaemon());
        assertEquals("Docker daemon not reachable (`" + DockerCli.CLI + " version` exit 1: " + CANNOT_CONNECT
                + "); run bash jib/local-env.sh", e.getMessage());
        DockerCli.SHARED.requireDaemon(); // the running daemon passes the same check
    }
}
