package com.example.gsping.images;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static com.example.gsping.images.BuildUnderTest.LATEST;
import static com.example.gsping.images.BuildUnderTest.MULTISTAGE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The images in a real Docker engine: {@code jib:dockerBuild} of both (once for the class), then what the
 * tutorial does with them: list, untag, run, probe, stop. All in a {@link PrivateDockerd} of the class's own, so
 * the {@code docker-gs-ping:*} names are never the user's images; it goes, with everything in it, after the class.
 */
@NeedsRoot("starts a Docker daemon of its own (dockerd needs root)")
class DockerEngineIT {

    private static final String REPO = BuildUnderTest.IMAGE_NAME;
    private static final Duration STARTUP = Duration.ofSeconds(60);
    private static final Duration STOP_LIMIT = Duration.ofSeconds(5);
    private static PrivateDockerd daemon;
    private static DockerCli docker;
    private static Path jibDir;

    @BeforeAll
    static void buildBothImagesIntoDocker() throws Exception {
        daemon = PrivateDockerd.start(BuildUnderTest.BUILD_DIR.resolve("docker-engine-it"));
        docker = daemon.cli();
        List<String> properties = new ArrayList<>();
        if (DockerCli.CLI.startsWith("/")) {
            properties.add("-Djib.dockerClient.executable=" + DockerCli.CLI);
        }
        jibDir = MavenJib.run("jib-docker", true, daemon.env(), List.of("compile", "jib:dockerBuild", "jib:dockerBuild@multistage"),
                properties.toArray(String[]::new));
    }

    @AfterAll
    static void stopTheDaemon() throws Exception {
        if (daemon != null) {
            daemon.close();
        }
    }

    @Test
    void imageLsShowsLatestAndV10AsOneImageIdBesideMultistage() throws Exception {
        Map<String, String> ids = tagsToIds();
        assertTrue(ids.keySet().containsAll(List.of("latest", "v1.0", "multistage")), "tags: " + ids);
        assertEquals(ids.get("latest"), ids.get("v1.0"), "one IMAGE ID");
        assertNotEquals(ids.get("latest"), ids.get("multistage"));
    }

    @Test
    void dockerHasTheSameImagesAsTheTarballs() throws Exception {
        for (String image : List.of(LATEST, MULTISTAGE)) {
            String id = docker.ok("image", "inspect", "--format", "{{.Id}}", REPO + ":" + image);
            assertEquals(new JibOutputs(jibDir, image).imageId(), id, "what jib:dockerBuild reported");
            assertEquals(BuildUnderTest.outputs(image).imageId(), id, "the image ID of target/jib's tarball");
        }
        assertEquals(docker.ok("image", "inspect", "--format", "{{.Id}}", REPO + ":latest"),
                docker.ok("image", "inspect", "--format", "{{.Id}}", REPO + ":v1.0"));
    }

    @Test
    void removingV10OnlyUntagsItAndLatestStays() throws Exception {
        String latestId = docker.ok("image", "inspect", "--format", "{{.Id}}", REPO + ":latest");
        assertTrue(tagsToIds().containsKey("v1.0"), "v1.0 to remove");
        try {
            DockerCli.Result rm = docker.run("image", "rm", REPO + ":v1.0");
            assertEquals(0, rm.exitCode(), rm.stderr());
            assertEquals("Untagged: " + REPO + ":v1.0", rm.out(), "untagged, nothing deleted");
            Map<String, String> after = tagsToIds();
            assertFalse(after.containsKey("v1.0"), after.toString());
            assertEquals(latestId, docker.ok("image", "inspect", "--format", "{{.Id}}", REPO + ":latest"));
        } finally {
            docker.ok("image", "tag", REPO + ":latest", REPO + ":v1.0"); // as jib:dockerBuild left it, for the other tests
        }
    }

    @ParameterizedTest(name = "{0} runs as uid {1}")
    @CsvSource({"latest, 0", "multistage, 65532"})
    void runsAsItsUserServesOnTheEnvPortAndStopsWithExitCode0InUnder5s(String image, String uid) throws Exception {
        int port = FreePort.pick();
        try (Container container = Container.start(docker, image, port).awaitReady(STARTUP)) {
            container.assertServes();
            assertEquals(String.join(" ", uid, uid, uid, uid), container.mainProcessStatus().get("Uid"), "real, effective, saved, fs uid");
            assertStopsCleanly(container);
        }
    }

    @Test
    void multistageRunsReadOnlyWithoutCapabilitiesOrNewPrivilegesAsNonroot() throws Exception {
        int port = FreePort.pick();
        try (Container container = Container.start(docker, MULTISTAGE, port,
                "--read-only", "--cap-drop", "ALL", "--security-opt", "no-new-privileges").awaitReady(STARTUP)) {
            container.assertServes();
            container.assertRunsAsNonrootWithoutPrivileges();
            Path probe = Files.createTempFile("gsping-readonly", ".txt");
            try {
                DockerCli.Result copy = docker.run("cp", probe.toString(), container.name() + ":/tmp/probe.txt");
                assertNotEquals(0, copy.exitCode(), "the root filesystem takes no writes");
                assertTrue(copy.stderr().contains("read-only"), copy.stderr());
            } finally {
                Files.delete(probe);
            }
            assertStopsCleanly(container);
        }
    }

    @Test
    void multistageHasNoShellOrIdToExecWhileLatestHasBoth() throws Exception {
        try (Container multistage = Container.start(docker, MULTISTAGE, FreePort.pick()).awaitReady(STARTUP);
             Container latest = Container.start(docker, LATEST, FreePort.pick()).awaitReady(STARTUP)) {
            DockerCli.Result shell = docker.run("exec", multistage.name(), "/bin/sh", "-c", "true");
            assertNotEquals(0, shell.exitCode());
            // dockerd 20.10's CLI prints the OCI runtime's error on stdout
            assertTrue(shell.output().contains("stat /bin/sh: no such file or directory"), shell.output());
            DockerCli.Result id = docker.run("exec", multistage.name(), "id", "-u");
            assertNotEquals(0, id.exitCode());
            assertTrue(id.output().contains("\"id\": executable file not found"), id.output());
            // the same commands do work in a container that has them: the failures above are the image's
            assertEquals("0", docker.ok("exec", latest.name(), "/bin/sh", "-c", "id -u"));
        }
    }

    private static void assertStopsCleanly(Container container) throws Exception {
        Duration took = container.stop();
        assertEquals("exited 0", container.statusAndExitCode(), container.logs());
        assertTrue(took.compareTo(STOP_LIMIT) < 0, "docker stop took " + took.toMillis() + " ms");
    }

    private static Map<String, String> tagsToIds() throws Exception {
        Map<String, String> ids = new LinkedHashMap<>();
        docker.ok("image", "ls", REPO, "--format", "{{.Tag}} {{.ID}}").lines()
                .map(line -> line.split(" "))
                .forEach(parts -> ids.put(parts[0], parts[1]));
        return ids;
    }
}
