package com.example.gsping.images;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * latest's base, built twice by jib/base/build-jdk-base.sh for this host's platform, each time from an empty cache
 * (mmdebstrap installs the pinned JDK from Debian 13 again; a minute or two each), is the same bytes: the same
 * packages, files, times and trust store (cacerts, written with the clock stopped). ReproducibleBuildIT does the
 * same for multistage's runtime base.
 */
class JdkBaseReproducibleIT {

    private static final Path DIR = BuildUnderTest.BUILD_DIR.resolve("jdk-base-twice");

    @Test
    void twoBuildsFromAnEmptyCacheAreTheSameBytes() throws Exception {
        FileTrees.delete(DIR);
        try {
            Path first = Path.of(BaseScript.run(Files.createDirectories(DIR.resolve("1/base")), 10, "build-jdk-base.sh"));
            Path second = Path.of(BaseScript.run(Files.createDirectories(DIR.resolve("2/base")), 10, "build-jdk-base.sh"));
            assertEquals(DIR.resolve("2/base").resolve(first.getFileName()), second);
            // what trixie had at each build: the same, unless Debian published an update in between
            assertEquals(Files.readString(sibling(first, ".packages")), Files.readString(sibling(second, ".packages")), "package versions");
            assertEquals(-1L, Files.mismatch(first, second), first + " vs " + second + ": first differing byte");
        } finally {
            FileTrees.delete(DIR); // 2 x 0.9 GB
        }
    }

    private static Path sibling(Path tarball, String suffix) {
        return tarball.resolveSibling(tarball.getFileName().toString().replace(".tar", suffix));
    }
}
