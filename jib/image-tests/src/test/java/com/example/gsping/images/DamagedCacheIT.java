package com.example.gsping.images;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static com.example.gsping.images.BuildUnderTest.ARCH;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Every file the images are built from out of the cache is checked against the sha256 recorded when it was made
 * (jib/lib.sh: seal): a damaged one (cut short, a byte changed, another file in its place) is made again, or stops
 * the build in one line naming it and the command that makes it again; no image is built from it. Each case damages a
 * copy, never the cache the build under test used, and Jib runs on a base-image cache of its own: Jib files a base's
 * layers by the diff_id the base claims, so one read of a damaged base would taint later builds on that cache.
 */
class DamagedCacheIT {

    private static final Path CLASS_ARCHIVE_CACHE = BuildUnderTest.BASE_DIR.resolveSibling("class-archive");

    @TempDir
    Path temp;

    /** Both bases as the build found them, a damaged copy in place of one: the build stops in validate, before Jib. */
    @ParameterizedTest
    @EnumSource(Damage.class)
    void aDamagedJdkBaseStopsTheBuildInOneLineBeforeJib(Damage damage) throws Exception {
        assumeTrue(BuildUnderTest.latestBaseTarball() != null, "latest is on the published JDK base (-Ppublished-base): no base file to damage");
        buildStopsOn(BuildUnderTest.latestBaseTarball(), BuildUnderTest.MULTISTAGE_BASE_FILE, damage);
    }

    @ParameterizedTest
    @EnumSource(Damage.class)
    void aDamagedRuntimeBaseStopsTheBuildInOneLineBeforeJib(Damage damage) throws Exception {
        Path other = BuildUnderTest.latestBaseTarball() == null ? BuildUnderTest.IMAGE_DIR.resolve("docker-gs-ping-latest.tar")
                : BuildUnderTest.latestBaseTarball();
        buildStopsOn(BuildUnderTest.MULTISTAGE_BASE_FILE, other, damage);
    }

    private void buildStopsOn(Path base, Path other, Damage damage) throws Exception {
        Path baseDir = Files.createDirectories(temp.resolve("base"));
        for (Path tarball : Stream.of(BuildUnderTest.latestBaseTarball(), BuildUnderTest.MULTISTAGE_BASE_FILE).filter(t -> t != null).toList()) {
            Path copy = baseDir.resolve(tarball.getFileName());
            Files.copy(sealOf(tarball), sealOf(copy));
            if (tarball.equals(base)) {
                Files.copy(tarball, copy);
                damage.apply(copy, other);
            } else {
                Files.createSymbolicLink(copy, tarball); // read only
            }
        }
        Path damaged = baseDir.resolve(base.getFileName());
        Path jibCache = temp.resolve("jib-base-image-cache");
        String latestBase = BuildUnderTest.latestBaseTarball() == null ? "" : baseDir.resolve(BuildUnderTest.latestBaseTarball().getFileName()).toString();
        String imageDir = "jib-damaged-base-" + damage;
        // Jib would read the copies (latest's from a registry with -Ppublished-base)
        MavenJib.Outcome build = MavenJib.attempt(imageDir, true, Map.of(),
                List.of("compile", "jib:buildTar", "jib:buildTar@multistage"), "-Dbase.dir=" + baseDir, "-Dlatest.base.file=" + latestBase,
                "-Dlatest.base.image=" + (latestBase.isEmpty() ? BuildUnderTest.LATEST_BASE_IMAGE : "tar://" + latestBase),
                "-Djib.baseImageCache=" + jibCache);
        String output = build.output();
        assertEquals(1, build.exitCode(), output);
        assertTrue(output.contains("(bases-present)"), output);
        assertTrue(output.lines().anyMatch(line -> line.contains("A linux/" + ARCH + " base image is not as it was built (")
                && line.contains(damaged.toString()) && line.contains("`bash jib/local-env.sh` builds it again")), output);
        assertFalse(output.contains("jib-maven-plugin") || Files.exists(jibCache), "Jib ran: " + output);
        assertFalse(Files.exists(BuildUnderTest.BUILD_DIR.resolve(imageDir).resolve("latest.digest")), "an image was built");
        assertFalse(output.contains("\tat "), "no stack trace: " + output);
    }

    /**
     * A Jib goal typed without a phase skips validate, and Jib hashes nothing it reads from a tar base: it files the
     * damaged base's layer under the diff_id the base claims and builds another image. With the base as built again,
     * the next build with a phase finds that layer in Jib's cache, removes it in one line, and builds the first image.
     */
    @Test
    void aBareJibGoalOnADamagedBaseTaintsNoLaterBuild() throws Exception {
        Path baseDir = Files.createDirectories(temp.resolve("base"));
        Path original = BuildUnderTest.MULTISTAGE_BASE_FILE;
        Path copy = baseDir.resolve(original.getFileName());
        Files.copy(sealOf(original), sealOf(copy));
        Files.copy(original, copy);
        Damage.FLIPPED_BYTE.apply(copy, original);
        Path jibCache = temp.resolve("jib-base-image-cache");
        String expected = BuildUnderTest.outputs(BuildUnderTest.MULTISTAGE).digest();

        MavenJib.Outcome bare = MavenJib.attempt("jib-bare-goal-damaged-base", true, Map.of(), List.of("jib:buildTar@multistage"),
                "-Dbase.dir=" + baseDir, "-Djib.baseImageCache=" + jibCache);
        assertEquals(0, bare.exitCode(), bare.output());
        assertNotEquals(expected, new JibOutputs(BuildUnderTest.BUILD_DIR.resolve("jib-bare-goal-damaged-base"), BuildUnderTest.MULTISTAGE).digest(),
                "Jib checks a tar base's layers now: the check in validate can go");

        Files.copy(original, copy, StandardCopyOption.REPLACE_EXISTING); // as `bash jib/local-env.sh` builds it again
        MavenJib.Outcome next = MavenJib.attempt("jib-after-bare-goal", true, Map.of(), List.of("compile", "jib:buildTar@multistage"),
                "-Dbase.dir=" + baseDir, "-Djib.baseImageCache=" + jibCache);
        String output = next.output();
        assertEquals(0, next.exitCode(), output);
        assertEquals(1, output.lines().filter(line -> line.startsWith("[WARNING] Jib's copy of a base layer (" + jibCache.resolve("local"))
                && line.endsWith(") was not the layer its diff_id names (a damaged base read by a goal typed without a phase): removed,"
                        + " Jib takes it again from the base")).count(), output);
        assertEquals(expected, new JibOutputs(BuildUnderTest.BUILD_DIR.resolve("jib-after-bare-goal"), BuildUnderTest.MULTISTAGE).digest());
    }

    /** A damaged copy of the runtime base in a cache: its script says so in one line and builds the same bytes again. */
    @ParameterizedTest
    @EnumSource(Damage.class)
    void aDamagedRuntimeBaseIsBuiltAgainWithTheSameBytes(Damage damage) throws Exception {
        Path baseDir = Files.createDirectories(temp.resolve("base"));
        Path original = BuildUnderTest.MULTISTAGE_BASE_FILE;
        String name = original.getFileName().toString();
        for (String suffix : List.of("", ".sha256", ".recipe.sha256")) {
            Files.copy(original.resolveSibling(name + suffix), baseDir.resolve(name + suffix));
        }
        // the pinned .debs, read only: the rebuild needs no network
        Files.createSymbolicLink(baseDir.resolve("runtime-debs"), BuildUnderTest.BASE_DIR.resolve("runtime-debs"));
        damage.apply(baseDir.resolve(name), BuildUnderTest.IMAGE_DIR.resolve("docker-gs-ping-multistage.tar"));

        Path rebuilt = Path.of(BaseScript.run(baseDir, 10, "build-runtime-base.sh", "--arch", ARCH));
        String log = Files.readString(BuildUnderTest.BUILD_DIR.resolve("build-runtime-base.log"));
        assertTrue(log.lines().anyMatch(line -> line.equals("build-runtime-base: " + baseDir.resolve(name)
                + " is not as it was built (sha256sum -c " + baseDir.resolve(name) + ".sha256): building it again")), log);
        assertEquals(-1L, Files.mismatch(original, rebuilt), original + " vs " + rebuilt + ": first differing byte");
    }

    /**
     * A damaged copy of the class archive in a cache: the build says so in one line, dumps it again and ships the new
     * dump, never the damaged bytes. A dump is not always the same bytes (jib/multistage/class-archive.sh): when the
     * new one is, the image is the first build's to the digest.
     */
    @ParameterizedTest
    @EnumSource(Damage.class)
    void aDamagedClassArchiveIsDumpedAgainAndNeverShipped(Damage damage) throws Exception {
        Path cache = Files.createDirectories(temp.resolve("cache/class-archive"));
        Path original;
        try (Stream<Path> files = Files.list(CLASS_ARCHIVE_CACHE)) {
            // this platform's archive and libfaketime, each with its record
            for (Path file : files.filter(f -> f.getFileName().toString().matches("linux-" + ARCH + "-.*|libfaketime_.*_" + ARCH + "\\.deb.*")).toList()) {
                Files.copy(file, cache.resolve(file.getFileName()));
            }
        }
        try (Stream<Path> files = Files.list(cache)) {
            original = files.filter(f -> f.toString().endsWith(".jsa")).findFirst().orElseThrow();
        }
        Path keep = temp.resolve("original.jsa");
        Files.copy(original, keep);
        damage.apply(original, BuildUnderTest.MULTISTAGE_BASE_FILE);
        byte[] damaged = Files.readAllBytes(original);

        // beside the build under test's (target/), as the dumps of one machine's builds are
        String imageDir = "jib-damaged-class-archive-" + damage;
        Path work = BuildUnderTest.BUILD_DIR.resolve(imageDir + "-work");
        FileTrees.delete(work);
        MavenJib.Outcome build = MavenJib.attempt(imageDir, true, Map.of("DOCKER_GS_PING_CACHE", cache.getParent().toString()),
                List.of("compile", "jib:buildTar@multistage"), "-Dclass.archive.dir=" + work);
        String output = build.output();
        assertEquals(0, build.exitCode(), output);
        assertTrue(output.lines().anyMatch(line -> line.equals("class-archive: " + original
                + " is not as it was dumped (sha256sum -c " + original + ".sha256): dumping it again")), output);
        Path shipped = work.resolve("image/linux-" + ARCH + ".jsa");
        assertEquals(-1L, Files.mismatch(shipped, original), "the image's archive is the new dump in the cache");
        assertNotEquals(-1, Arrays.mismatch(damaged, Files.readAllBytes(shipped)), "the damaged bytes were shipped");
        String digest = new JibOutputs(BuildUnderTest.BUILD_DIR.resolve(imageDir), BuildUnderTest.MULTISTAGE).digest();
        if (Files.mismatch(keep, shipped) == -1L) {
            assertEquals(BuildUnderTest.outputs(BuildUnderTest.MULTISTAGE).digest(), digest, "the same archive, the same image");
        } else {
            System.out.printf("[damaged cache] %s: the new dump is other bytes than the first build's (a dump is not always the same), multistage %s%n", damage, digest);
        }
    }

    private static Path sealOf(Path file) {
        return file.resolveSibling(file.getFileName() + ".sha256");
    }
}
