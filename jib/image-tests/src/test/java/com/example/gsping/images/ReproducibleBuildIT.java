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
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Building the images a second time, from the same commit and classes, the way a developer types it
 * ({@code mvn compile jib:buildTar jib:buildTar@multistage}: the system's Maven 3.8, not the wrapper's 3.9; no
 * execution id for latest, no package phase), gives the same images bit for bit as {@code ./mvnw package}. Everything
 * multistage is made of is made again, each into a directory of its own: the runtime base (jib/base/build-runtime-base.sh
 * from the pinned packages), the class archive's directory and the SBOM; then Jib runs again into target/jib-rebuild.
 * latest's base, an mmdebstrap of minutes, is the cached one, and so is the class archive's dump: it is kept per machine
 * by its inputs, because two dumps of the same inputs are not always the same bytes (jib/multistage/class-archive.sh).
 */
class ReproducibleBuildIT {

    private static final Path REBUILD_DIR = BuildUnderTest.BUILD_DIR.resolve("rebuild");
    private static final Path REBUILT_BASE_DIR = REBUILD_DIR.resolve("base");
    private static final Path REBUILT_CLASS_ARCHIVE_DIR = REBUILD_DIR.resolve("class-archive");
    private static final Path REBUILT_SBOM_DIR = REBUILD_DIR.resolve("sbom");
    private static Path rebuiltRuntimeBase;
    private static Path rebuilt;

    @BeforeAll
    static void buildTheRuntimeBaseAndBothImagesAgain() throws Exception {
        FileTrees.delete(REBUILD_DIR);
        Files.createDirectories(REBUILT_BASE_DIR);
        // The runtime base is multistage's first layer and the JVM that dumps its class archive: built again here,
        // or a stale cached one would hide a recipe that no longer gives the same bytes. Its pinned .debs are inputs,
        // shared with the cache, so the rebuild needs no network.
        Files.createSymbolicLink(REBUILT_BASE_DIR.resolve("runtime-debs"), BuildUnderTest.BASE_DIR.resolve("runtime-debs"));
        rebuiltRuntimeBase = Path.of(BaseScript.run(REBUILT_BASE_DIR, 10, "build-runtime-base.sh", "--arch", BuildUnderTest.ARCH));
        // not offline: Maven refuses to run cyclonedx:makeBom under -o (it reads only the local repository here)
        rebuilt = MavenJib.runWithSystemMaven("jib-rebuild", false,
                List.of("compile", "jib:buildTar", "jib:buildTar@multistage"),
                // after MavenJib's -Dbase.dir; latest's base stays the cached one (-Dlatest.base.file, -Dlatest.base.image)
                "-Dbase.dir=" + REBUILT_BASE_DIR, "-Dclass.archive.dir=" + REBUILT_CLASS_ARCHIVE_DIR, "-Dsbom.dir=" + REBUILT_SBOM_DIR);
    }

    @Test
    void theRuntimeBaseWasReallyBuiltAgainWithTheSameBytes() throws Exception {
        assertEquals(REBUILT_BASE_DIR.resolve("runtime25-linux-" + BuildUnderTest.ARCH + ".tar"), rebuiltRuntimeBase);
        assertNotEquals(BuildUnderTest.MULTISTAGE_BASE_FILE.toAbsolutePath(), rebuiltRuntimeBase);
        assertEquals(-1L, Files.mismatch(BuildUnderTest.MULTISTAGE_BASE_FILE, rebuiltRuntimeBase),
                BuildUnderTest.MULTISTAGE_BASE_FILE + " vs " + rebuiltRuntimeBase + ": first differing byte");
    }

    @Test
    void theRebuildShipsAClassArchive() {
        Path archive = REBUILT_CLASS_ARCHIVE_DIR.resolve("image/linux-" + BuildUnderTest.ARCH + ".jsa");
        assertTrue(Files.isRegularFile(archive), archive + " in the second build");
    }

    @ParameterizedTest
    @ValueSource(strings = {LATEST, MULTISTAGE})
    void theSbomsWereReallyMadeAgainWithTheSameBytes(String image) throws Exception {
        assertTrue(Files.isRegularFile(REBUILT_SBOM_DIR.resolve(BuildUnderTest.SBOM_FILE_NAME)), "the application's SBOM made by the second build");
        Path first = BuildUnderTest.sbom(BuildUnderTest.IMAGE_DIR, image);
        Path second = BuildUnderTest.sbom(rebuilt, image);
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
