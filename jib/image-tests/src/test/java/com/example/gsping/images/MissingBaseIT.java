package com.example.gsping.images;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bases not built on this machine yet (an empty base dir): a build stops in validate (the bases-present rule)
 * with one message naming the platform, the missing files and the command that builds them, so Jib never tries a
 * registry (offline, it retried Docker Hub for about a minute). A plain goal without a phase fails on the missing file.
 * A build that makes no image (compile, test) needs no bases at all: only a JDK.
 */
class MissingBaseIT {

    @TempDir
    Path emptyBaseDir;

    @Test
    void buildWithoutTheBasesStopsInValidateNamingThemAndTheCommandThatBuildsThem() throws Exception {
        Path latestBase = emptyBaseDir.resolve("jdk25-linux-" + BuildUnderTest.ARCH + ".tar");
        // after MavenJib's own (the build under test's bases), so these win
        MavenJib.Outcome build = MavenJib.attempt("jib-missing-base", true, Map.of(), List.of("compile", "jib:buildTar"),
                "-Dbase.dir=" + emptyBaseDir, "-Dlatest.base.file=" + latestBase);
        assertEquals(1, build.exitCode(), build.output());
        String output = build.output();
        assertTrue(output.contains("(bases-present)"), output);
        assertTrue(output.contains("The linux/" + BuildUnderTest.ARCH + " base images are not in " + emptyBaseDir + " yet ("), output);
        assertTrue(output.contains("build them once with `bash jib/local-env.sh` (as yourself"), output);
        assertTrue(output.contains("another platform's: bash jib/local-env.sh bases ARCH"), output);
        assertTrue(output.contains("or build on the published bases: -Ppublished-base,multistage-published-base"), output);
        assertTrue(output.contains(latestBase.toString())
                && output.contains(emptyBaseDir.resolve("runtime25-linux-" + BuildUnderTest.ARCH + ".tar").toString()), output);
        assertFalse(output.contains("jib-maven-plugin"), "Jib ran: " + output);
        assertFalse(output.contains("\tat "), "no stack trace: " + output);
    }

    @Test
    void basesReachedThroughASymlinkedFolderAreFound() throws Exception {
        Path link = Files.createSymbolicLink(emptyBaseDir.resolve("linked"), BuildUnderTest.BASE_DIR);
        // latest's base is a file of the base dir unless it came from a registry (-Ppublished-base)
        String latestBase = BuildUnderTest.latestBaseTarball() == null ? "" : link.resolve(BuildUnderTest.latestBaseTarball().getFileName()).toString();
        MavenJib.Outcome build = MavenJib.attempt("jib-symlinked-base", true, Map.of(), List.of("compile", "jib:buildTar"),
                "-Dbase.dir=" + link, "-Dlatest.base.file=" + latestBase);
        assertEquals(0, build.exitCode(), build.output());
    }

    @Test
    void buildsThatMakeNoImageNeedNoBasesNorTheClassArchive() throws Exception {
        Path classArchiveDir = emptyBaseDir.resolve("class-archive");
        MavenJib.Outcome build = MavenJib.attempt("no-image-no-base", true, Map.of(), List.of("test"), "-DskipTests",
                "-Dbase.dir=" + emptyBaseDir, "-Dlatest.base.file=" + emptyBaseDir.resolve("none.tar"), "-Dclass.archive.dir=" + classArchiveDir);
        assertEquals(0, build.exitCode(), build.output());
        assertFalse(Files.exists(classArchiveDir), "the class archive's steps ran: " + build.output());
    }

    @Test
    void plainGoalWithoutAPhaseFailsOnTheMissingBaseFileNotOnARegistry() throws Exception {
        Path missing = emptyBaseDir.resolve("jdk25-linux-" + BuildUnderTest.ARCH + ".tar");
        MavenJib.Outcome build = MavenJib.attempt("jib-missing-base", true, Map.of(), List.of("jib:buildTar"),
                "-Dlatest.base.image=tar://" + missing);
        assertEquals(1, build.exitCode(), build.output());
        assertTrue(build.output().contains("jib-maven-plugin") && build.output().contains(missing.toString()), build.output());
        assertFalse(build.output().contains("docker.io"), build.output());
    }
}
