package com.example.gsping.image;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static com.example.gsping.image.BuildUnderTest.LATEST;
import static com.example.gsping.image.BuildUnderTest.MULTISTAGE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Building the images a second time, from the same commit and classes, gives the same images bit for bit:
 * the multistage runtime is jlinked and assembled again from scratch into a directory of its own, then both
 * Jib executions run again into target/jib-rebuild.
 */
class ReproducibleBuildIT {

    private static final Path REBUILT_ROOTFS = BuildUnderTest.BUILD_DIR.resolve("rootfs-rebuild");
    private static Path rebuilt;

    @BeforeAll
    static void buildBothImagesAgain() throws Exception {
        rebuilt = MavenJib.run("jib-rebuild",
                List.of("exec:exec@multistage-rootfs", "jib:buildTar@latest", "jib:buildTar@multistage"),
                "-Dmultistage.rootfs=" + REBUILT_ROOTFS);
    }

    @Test
    void theRuntimeWasReallyAssembledAgain() {
        assertTrue(Files.isExecutable(REBUILT_ROOTFS.resolve("opt/java/bin/java")), REBUILT_ROOTFS + " has a jlinked java");
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
