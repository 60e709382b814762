package com.example.gsping.images;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static com.example.gsping.images.BuildUnderTest.LATEST;
import static com.example.gsping.images.BuildUnderTest.MULTISTAGE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Building the images a second time, from the same commit and classes, the way a developer types it
 * ({@code mvn compile jib:buildTar jib:buildTar@multistage}: the system's Maven 3.8, not the wrapper's 3.9; no
 * execution id for latest, no package phase), gives the same images bit for bit as {@code ./mvnw package}: the SBOM is made again and the multistage runtime base built
 * again from its pinned packages, each into a directory of its own, then Jib runs again into target/jib-rebuild.
 */
class ReproducibleBuildIT {

    private static final Path REBUILT_RUNTIME_BASE_CACHE = BuildUnderTest.BUILD_DIR.resolve("runtime-base-rebuild");
    private static final Path REBUILT_SBOM_DIR = BuildUnderTest.BUILD_DIR.resolve("sbom-rebuild");
    private static Path rebuilt;

    @BeforeAll
    static void buildBothImagesAgain() throws Exception {
        // not offline: Maven refuses to run cyclonedx:makeBom under -o (it reads only the local repository here)
        rebuilt = MavenJib.runWithSystemMaven("jib-rebuild", false,
                List.of("compile", "jib:buildTar", "jib:buildTar@multistage"),
                "-Druntime.base.cache.dir=" + REBUILT_RUNTIME_BASE_CACHE, "-Dsbom.dir=" + REBUILT_SBOM_DIR);
    }

    @Test
    void theRuntimeBaseWasReallyBuiltAgain() {
        Path base = REBUILT_RUNTIME_BASE_CACHE.resolve("base/runtime17-linux-" + BuildUnderTest.ARCH + ".tar");
        assertTrue(Files.isRegularFile(base), base + " built by the second build");
    }

    @Test
    void theSbomWasReallyMadeAgainWithTheSameBytes() throws Exception {
        Path first = BuildUnderTest.IMAGE_DIR.resolve(BuildUnderTest.SBOM_FILE_NAME);
        Path second = REBUILT_SBOM_DIR.resolve(BuildUnderTest.SBOM_FILE_NAME);
        assertTrue(Files.isRegularFile(second), second + " made by the second build");
        assertEquals(-1L, Files.mismatch(first, second), first + " vs " + second + ": first differing byte");
    }

    @ParameterizedTest
    @ValueSource(strings = {LATEST, MULTISTAGE})
    void secondBuildHasTheSameDigestAndImageId(String image) throws Exception {
        JibOutputs first = BuildUnderTest.outputs(image);
        JibOutputs second = new JibOutputs(rebuilt, image);
        assertEquals(first.digest(), second.digest(), "manifest digest");
        assertEquals(first.imageId(), second.imageId(), "image ID (config digest)");
    }

    @ParameterizedTest
    @ValueSource(strings = {LATEST, MULTISTAGE})
    void secondBuildsTarballIsByteIdentical(String image) throws Exception {
        Path first = BuildUnderTest.outputs(image).tarball();
        Path second = new JibOutputs(rebuilt, image).tarball();
        assertEquals(-1L, Files.mismatch(first, second), first + " vs " + second + ": first differing byte");
    }
}
