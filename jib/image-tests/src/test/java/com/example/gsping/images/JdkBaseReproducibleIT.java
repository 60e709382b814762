package com.example.gsping.images;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * latest's base, built by jib/base/build-jdk-base.sh for this host's platform from an empty cache (mmdebstrap
 * installs the pinned JDK from Debian 13 again; a minute or two), is the same bytes as the one the build under test
 * used, itself built from an empty cache when this machine was set up: the same packages, files, times and trust
 * store (cacerts, written with the clock stopped). When trixie has published updates since then, the two cannot
 * agree, so it builds a second one from an empty cache instead. ReproducibleBuildIT does the same for multistage's
 * runtime base.
 */
class JdkBaseReproducibleIT {

    private static final Path DIR = BuildUnderTest.BUILD_DIR.resolve("jdk-base-again");

    @Test
    void aBuildFromAnEmptyCacheIsTheSameBytes() throws Exception {
        Path cached = BuildUnderTest.latestBaseTarball();
        assumeTrue(cached != null, "latest was built on a published base (-Ppublished-base): no base of this machine's to compare");
        FileTrees.delete(DIR);
        try {
            Path fresh = build("1");
            if (!Files.readString(sibling(cached, ".packages")).equals(Files.readString(sibling(fresh, ".packages")))) {
                System.out.println("[image tests] trixie changed since " + cached + " was built: comparing two new builds");
                cached = fresh;
                fresh = build("2");
                // what trixie had at each build: the same, unless Debian published an update in between
                assertEquals(Files.readString(sibling(cached, ".packages")), Files.readString(sibling(fresh, ".packages")), "package versions");
            }
            assertEquals(cached.getFileName(), fresh.getFileName());
            assertEquals(-1L, Files.mismatch(cached, fresh), cached + " vs " + fresh + ": first differing byte");
        } finally {
            FileTrees.delete(DIR); // 0.9 GB a build
        }
    }

    private static Path build(String name) throws Exception {
        return Path.of(BaseScript.run(Files.createDirectories(DIR.resolve(name).resolve("base")), 10, "build-jdk-base.sh"));
    }

    private static Path sibling(Path tarball, String suffix) {
        return tarball.resolveSibling(tarball.getFileName().toString().replace(".tar", suffix));
    }
}
