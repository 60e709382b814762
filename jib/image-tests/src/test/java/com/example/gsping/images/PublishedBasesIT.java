package com.example.gsping.images;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Where the host cannot run the image's Linux java (macOS, Windows, no user namespaces), both images build on the
 * published bases ({@code -Ppublished-base,multistage-published-base}), multistage without a class archive, and the
 * build says so in one line. The published bases here are this machine's own, pushed to a registry of the test's own.
 */
class PublishedBasesIT {

    @TempDir
    static Path registryDir;
    private static CrashableRegistry registry;
    private static String latestBase;
    private static String multistageBase;

    @BeforeAll
    static void publishThisMachinesBases() throws Exception {
        registry = CrashableRegistry.start(registryDir);
        latestBase = registry.upstream() + "/published/jdk25:25";
        multistageBase = registry.upstream() + "/published/runtime25:25";
        push(BuildUnderTest.latestBaseTarball(), latestBase);
        push(BuildUnderTest.MULTISTAGE_BASE_FILE, multistageBase);
    }

    @AfterAll
    static void stopTheRegistry() throws Exception {
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void bothImagesBuildOnThePublishedBasesMultistageWithoutAClassArchiveSaidInOneLine() throws Exception {
        MavenJib.Outcome build = MavenJib.attemptVerbose("published-bases", false, List.of("compile", "jib:buildTar", "jib:buildTar@multistage"),
                "-Ppublished-base,multistage-published-base", "-Djib.allowInsecureRegistries=true",
                "-Dlatest.base.image=" + latestBase, "-Dmultistage.base.image=" + multistageBase);
        assertEquals(0, build.exitCode(), build.output());
        assertEquals(1, build.output().lines().filter(line -> line.contains("multistage: no class archive on the published base")).count(),
                build.output());

        Path imageDir = BuildUnderTest.BUILD_DIR.resolve("published-bases");
        ImageTarball multistage = ImageTarball.open(imageDir.resolve("docker-gs-ping-multistage.tar"));
        List<String> entrypoint = new ArrayList<>();
        multistage.runConfig().get("Entrypoint").values().forEach(arg -> entrypoint.add(arg.getStringValue()));
        assertTrue(entrypoint.contains("-Xshare:auto") && entrypoint.stream().noneMatch(arg -> arg.startsWith("-XX:SharedArchiveFile")),
                entrypoint.toString());
        assertStartsWith(ImageTarball.open(BuildUnderTest.MULTISTAGE_BASE_FILE).diffIds(), multistage.diffIds());
        assertStartsWith(ImageTarball.open(BuildUnderTest.latestBaseTarball()).diffIds(),
                ImageTarball.open(imageDir.resolve("docker-gs-ping-latest.tar")).diffIds());
    }

    private static void assertStartsWith(List<String> base, List<String> image) {
        assertEquals(base, image.subList(0, Math.min(base.size(), image.size())), "the image is built on the published base");
    }

    private static void push(Path tarball, String reference) throws Exception {
        Process skopeo = new ProcessBuilder("skopeo", "--insecure-policy", "copy", "--quiet", "--dest-tls-verify=false",
                "docker-archive:" + tarball, "docker://" + reference).redirectErrorStream(true).start();
        String output = new String(skopeo.getInputStream().readAllBytes());
        assertTrue(skopeo.waitFor(5, TimeUnit.MINUTES) && skopeo.exitValue() == 0, "skopeo copy to " + reference + ": " + output);
    }
}
