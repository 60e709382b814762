package com.example.gsping.images;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No locally built JDK base in the cache and no -Ppublished-base: a build stops in validate with one
 * message naming the base and the commands that get it, so Jib never tries a registry (offline, it
 * retried Docker Hub for about a minute). A plain goal without a phase fails on the missing file.
 */
class MissingBaseIT {

    @TempDir
    Path emptyCache;

    @Test
    void buildWithoutTheLocalBaseStopsInValidateNamingTheBaseAndHowToGetIt() throws Exception {
        MavenJib.Outcome build = MavenJib.attempt("jib-missing-base", true, Map.of(), List.of("compile", "jib:buildTar"),
                "-Dbase.cache.dir=" + emptyCache);
        assertEquals(1, build.exitCode(), build.output());
        String output = build.output();
        assertTrue(output.contains("(latest-base-present)"), output);
        assertTrue(output.contains("The base image of docker-gs-ping:latest is not built on this machine yet ("
                + emptyCache.resolve("base/jdk17-linux-")), output);
        assertTrue(output.contains("./mvnw -B package -Plocal-base -Dimage.arch=" + BuildUnderTest.ARCH)
                && output.contains("-Ppublished-base"), output);
        assertFalse(output.contains("jib-maven-plugin"), "Jib ran: " + output);
    }

    @Test
    void plainGoalWithoutAPhaseFailsOnTheMissingBaseFileNotOnARegistry() throws Exception {
        Path missing = emptyCache.resolve("base/jdk17-linux-amd64.tar");
        MavenJib.Outcome build = MavenJib.attempt("jib-missing-base", true, Map.of(), List.of("jib:buildTar"),
                "-Dlatest.base.image=tar://" + missing);
        assertEquals(1, build.exitCode(), build.output());
        assertTrue(build.output().contains("jib-maven-plugin") && build.output().contains(missing.toString()), build.output());
        assertFalse(build.output().contains("docker.io"), build.output());
    }
}
