package com.example.gsping.image;

import com.example.gsping.support.AppProcess;
import com.example.gsping.support.RawHttp;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static com.example.gsping.image.BuildUnderTest.MULTISTAGE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The fast-start multistage image that {@code -Paot-cache} builds on JDK 25: it ships a JDK AOT cache that its own
 * runtime accepts, and an app jar with Micronaut AOT's build-time service lists. Skipped for an image built without
 * the profile.
 */
class AotCacheImageIT {

    private static final String CACHE_FLAG = "-XX:AOTCache=/opt/aot/app.aot";
    private static final String APP_JAR_DIR = "/app/classpath/";
    private static final Duration STARTUP = Duration.ofSeconds(60);

    private static ImageTarball tarball;
    private static ImageTarball.Layers layers;

    @BeforeAll
    static void readTheMultistageImage() throws IOException {
        tarball = ImageTarball.open(BuildUnderTest.outputs(MULTISTAGE).tarball());
        assumeTrue(entrypoint().contains(CACHE_FLAG), "multistage was built without -Paot-cache: " + entrypoint());
        layers = tarball.readLayers(path -> path.startsWith(APP_JAR_DIR) && path.endsWith(".jar"));
    }

    @Test
    void theCacheTheEntrypointNamesIsInTheImage() {
        ImageFs.Entry cache = layers.fs().entry("/opt/aot/app.aot");
        assertNotNull(cache, "no /opt/aot/app.aot in the image");
        assertEquals(ImageFs.Type.FILE, cache.type());
        assertTrue(cache.size() > 1 << 20, "a trained cache holds megabytes of classes: " + cache.size() + " bytes");
    }

    @Test
    void theAppJarCarriesMicronautAotServiceLists() throws IOException {
        List<ImageFs.Entry> jars = layers.allEntries().stream()
                .filter(entry -> entry.path().startsWith(APP_JAR_DIR) && entry.content() != null).toList();
        assertEquals(1, jars.size(), "one app jar: " + jars);
        Set<String> names = new HashSet<>();
        try (ZipInputStream jar = new ZipInputStream(new ByteArrayInputStream(jars.get(0).content()))) {
            for (ZipEntry entry; (entry = jar.getNextEntry()) != null; ) {
                names.add(entry.getName());
            }
        }
        assertTrue(names.contains("com/example/gsping/aot/StaticServicesLoader.class"), "generated service lists");
        assertTrue(names.contains("META-INF/services/io.micronaut.core.optim.StaticOptimizations$Loader"),
                "registered for Micronaut to load");
    }

    /** {@code -XX:AOTMode=on} makes the JVM stop at start when it cannot use the cache, instead of silently starting slowly. */
    @Test
    void theImagesRuntimeUsesTheCacheAndServes() throws Exception {
        // a daemon of its own: `docker load` tags docker-gs-ping:multistage, which in the shared one is the user's
        try (PrivateDockerd daemon = PrivateDockerd.start(BuildUnderTest.BUILD_DIR.resolve("aot-cache-it"))) {
            daemon.cli().ok("load", "--input", tarball.file().toString());
            runAndProbe(daemon.cli());
        }
    }

    private static void runAndProbe(DockerCli docker) throws Exception {
        int port = AppProcess.freePort();
        try (Container container = Container.start(docker, MULTISTAGE, port, "-e", "JAVA_TOOL_OPTIONS=-XX:AOTMode=on")
                .awaitReady(STARTUP)) {
            RawHttp.Response root = RawHttp.get(port, "/");
            assertEquals(200, root.status());
            assertEquals("Hello, Docker! <3", root.body());
            assertEquals("{\"Status\":\"OK\"}", RawHttp.get(port, "/health").body());
            container.stop();
            assertEquals("exited 0", container.statusAndExitCode(), container.logs());
        }
    }

    private static List<String> entrypoint() {
        return Json.strings(tarball.runConfig().get("Entrypoint"));
    }
}
