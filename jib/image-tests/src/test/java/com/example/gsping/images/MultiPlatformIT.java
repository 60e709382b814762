package com.example.gsping.images;

import io.micronaut.json.tree.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static com.example.gsping.images.BuildUnderTest.LATEST;
import static com.example.gsping.images.BuildUnderTest.MULTISTAGE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Both platforms, as a user gets them: {@code jib/base/publish-bases.sh} pushes the two-platform bases (built or
 * cached in the build's base dir) to a registry of the test's own, {@code jib:build -Pmulti-arch} pushes latest,
 * v1.0 and multistage there as image indexes (multistage with a class archive for each platform, arm64's dumped
 * under qemu), then a {@link PrivateDockerd} pulls the images by platform and runs them, arm64's under qemu
 * (binfmt_misc, set up by jib/local-env.sh); each platform's multistage with its class archive required.
 */
@NeedsRoot("starts a Docker daemon of its own (dockerd needs root)")
class MultiPlatformIT {

    private static final String REPO = BuildUnderTest.IMAGE_NAME;
    private static final Set<String> PLATFORMS = Set.of("linux/amd64", "linux/arm64");
    private static final String ARM64 = "linux/arm64";
    /** JDK 25 under emulation on a shared machine: latest (no class archive) once took over 2 min to answer. */
    private static final Duration STARTUP = Duration.ofMinutes(5);
    private static final long PUBLISH_MINUTES = 20; // a cold cache builds the arm64 JDK base under qemu
    private static final String LATEST_BASE = "docker-gs-ping-base/jdk25";
    private static final String MULTISTAGE_BASE = "docker-gs-ping-base/runtime25";
    private static final String BASE_TAG = "25";
    @TempDir
    static Path registryDir;
    private static CrashableRegistry registry;
    private static String registryAddress;
    private static PrivateDockerd daemon;
    private static DockerCli docker;

    @BeforeAll
    static void publishBasesBuildBothPlatformsAndStartADaemon() throws Exception {
        registry = CrashableRegistry.start(registryDir);
        registryAddress = registry.upstream();
        BaseScript.run(BuildUnderTest.BASE_DIR, PUBLISH_MINUTES, "publish-bases.sh", registryAddress);
        MavenJib.run("jib-multi-platform", false, List.of("compile", "jib:build", "jib:build@multistage"),
                "-Pmulti-arch", "-Dbase.registry=" + registryAddress + "/", "-Dimage.registry=" + registryAddress + "/",
                "-Djib.allowInsecureRegistries=true",
                // after MavenJib's own -Dlatest.base.image (the build under test's), so the profile's base is used
                "-Dlatest.base.image=" + registryAddress + "/" + LATEST_BASE + ":" + BASE_TAG);
        daemon = PrivateDockerd.start(BuildUnderTest.BUILD_DIR.resolve("multi-platform-it"));
        docker = daemon.cli();
    }

    @AfterAll
    static void stopTheDaemonAndTheRegistry() throws Exception {
        try {
            if (daemon != null) {
                daemon.close();
            }
        } finally {
            if (registry != null) {
                registry.close();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"docker-gs-ping:latest", "docker-gs-ping:v1.0", "docker-gs-ping:multistage",
            LATEST_BASE + ":" + BASE_TAG, MULTISTAGE_BASE + ":" + BASE_TAG})
    void eachImageIsADockerManifestListAndEachBaseAnOciIndexOfBothPlatforms(String reference) throws Exception {
        JsonNode index = Json.parse(skopeoInspectRaw(reference));
        // what the pages say: Jib 3.5 writes no OCI image index (Jib #2748); publish-bases.sh (imagetool index) does
        boolean base = reference.startsWith("docker-gs-ping-base/");
        assertEquals(base ? "application/vnd.oci.image.index.v1+json" : "application/vnd.docker.distribution.manifest.list.v2+json",
                index.get("mediaType").getStringValue(), "media type of " + reference);
        String manifest = base ? "application/vnd.oci.image.manifest.v1+json" : "application/vnd.docker.distribution.manifest.v2+json";
        index.get("manifests").values().forEach(entry -> assertEquals(manifest, entry.get("mediaType").getStringValue(),
                reference + ": " + entry));
        assertEquals(PLATFORMS, platformsToDigests(index).keySet(), reference);
    }

    @Test
    void applicationLayersAreTheSameBlobsInEveryPlatformAsInThisPlatformsTarball() throws Exception {
        for (String image : List.of(LATEST, MULTISTAGE)) {
            String base = image.equals(LATEST) ? LATEST_BASE : MULTISTAGE_BASE;
            // the same blobs as in the tarball of this platform that the build wrote (from the tar:// bases), but for the
            // last layers, Jib's extra files: the SBOM's lists every platform's Debian packages here, only this one's in
            // the tarball, and multistage's class archives' are every platform's here (jib/multi-platform.md)
            int extraFiles = image.equals(MULTISTAGE) ? 2 : 1;
            List<String> tarball = ImageTarball.open(BuildUnderTest.outputs(image).tarball()).layerFiles().stream()
                    .map(file -> "sha256:" + file.substring(0, file.length() - ".tar.gz".length())).toList();
            Map<String, String> images = platformsToDigests(Json.parse(skopeoInspectRaw(REPO + ":" + image)));
            Map<String, String> bases = platformsToDigests(Json.parse(skopeoInspectRaw(base + ":" + BASE_TAG)));
            Set<List<String>> extraLayers = new HashSet<>();
            for (String platform : PLATFORMS) {
                List<String> layers = layerDigests(REPO + "@" + images.get(platform));
                List<String> baseLayers = layerDigests(base + "@" + bases.get(platform));
                assertEquals(baseLayers, layers.subList(0, baseLayers.size()), image + " " + platform + " starts with its base's layers");
                List<String> appLayers = layers.subList(baseLayers.size(), layers.size() - extraFiles);
                assertTrue(appLayers.size() >= 3, "dependencies, resources, classes at least: " + appLayers);
                assertEquals(tarball.subList(tarball.size() - extraFiles - appLayers.size(), tarball.size() - extraFiles), appLayers,
                        image + " " + platform + ": application layers");
                extraLayers.add(layers.subList(layers.size() - extraFiles, layers.size()));
            }
            assertEquals(1, extraLayers.size(), image + ": the extra files layers are the same blobs in every platform: " + extraLayers);
        }
    }

    @Test
    void arm64LatestPulledByPlatformAnswersAndItsJavaIsAarch64() throws Exception {
        String reference = pull(LATEST, ARM64);
        try (Container container = Container.start(docker, reference, "latest-arm64", FreePort.pick(),
                "--platform", ARM64).awaitReady(STARTUP)) {
            container.assertServes();
            container.stop();
            assertEquals("exited 0", container.statusAndExitCode(), container.logs());
        }
        DockerCli.Result java = docker.run("run", "--rm", "--platform", ARM64, "--network", "host", "--entrypoint", "java",
                reference, "-XshowSettings:properties", "-version");
        assertEquals(0, java.exitCode(), java.output());
        assertTrue(java.stderr().contains("os.arch = aarch64"), java.stderr());
        assertTrue(java.stderr().contains("openjdk version \"25."), java.stderr());
    }

    @ParameterizedTest
    @ValueSource(strings = {"linux/amd64", ARM64})
    void multistagePulledByPlatformAnswersOnItsClassArchiveAsNonrootReadOnlyWithoutCapabilities(String platform) throws Exception {
        String reference = pull(MULTISTAGE, platform);
        try (Container container = Container.start(docker, reference, "multistage-" + platform.replace('/', '-'), FreePort.pick(),
                "--platform", platform, "-e", MultistageClassArchiveIT.REQUIRE_CLASS_ARCHIVE,
                "--read-only", "--cap-drop", "ALL", "--security-opt", "no-new-privileges").awaitReady(STARTUP)) {
            container.assertServes();
            container.assertRunsAsNonrootWithoutPrivileges();
            container.stop();
            assertEquals("exited 0", container.statusAndExitCode(), container.logs());
        }
    }

    /**
     * {@code docker pull --platform PLATFORM} of the tag into the test's daemon; checks what arrived is that platform's.
     * By digest: a pull of the same tag for the other platform would re-point it.
     */
    private static String pull(String tag, String platform) throws Exception {
        String digest = platformsToDigests(Json.parse(skopeoInspectRaw(REPO + ":" + tag))).get(platform);
        String reference = registryAddress + "/" + REPO + "@" + digest;
        docker.ok("pull", "--quiet", "--platform", platform, reference);
        assertEquals(platform, docker.ok("image", "inspect", "--format", "{{.Os}}/{{.Architecture}}", reference));
        return reference;
    }

    /** The manifest (or index) bytes under {@code REPOSITORY:TAG} or {@code REPOSITORY@DIGEST}, as {@code skopeo inspect --raw} reads them. */
    private static byte[] skopeoInspectRaw(String reference) throws IOException, InterruptedException {
        Process skopeo = new ProcessBuilder("skopeo", "inspect", "--raw", "--tls-verify=false",
                "docker://" + registryAddress + "/" + reference).redirectError(ProcessBuilder.Redirect.PIPE).start();
        byte[] out = skopeo.getInputStream().readAllBytes();
        String err = new String(skopeo.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, skopeo.waitFor(), "skopeo inspect --raw " + reference + ": " + err);
        return out;
    }

    private static Map<String, String> platformsToDigests(JsonNode index) {
        Map<String, String> digests = new LinkedHashMap<>();
        index.get("manifests").values().forEach(entry -> digests.put(
                entry.get("platform").get("os").getStringValue() + "/" + entry.get("platform").get("architecture").getStringValue(),
                entry.get("digest").getStringValue()));
        return digests;
    }

    private static List<String> layerDigests(String reference) throws IOException, InterruptedException {
        List<String> digests = new ArrayList<>();
        Json.parse(skopeoInspectRaw(reference)).get("layers").values().forEach(layer -> digests.add(layer.get("digest").getStringValue()));
        return digests;
    }
}
