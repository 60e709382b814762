package com.example.gsping.images;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The SBOM is made again only when pom.xml, which decides the dependencies, is newer than it (the
 * sbom-current execution): the edit loop skips CycloneDX, a changed pom never ships a stale SBOM. Offline
 * (-o), where CycloneDX makes none, an image build without an SBOM yet stops instead of shipping images without it.
 */
class SbomFreshnessIT {

    @TempDir
    Path sbomDir;

    @Test
    void sbomIsKeptWhileNewerThanThePomAndMadeAgainWhenThePomIsNewer() throws Exception {
        Path sbom = sbomDir.resolve(BuildUnderTest.SBOM_FILE_NAME);
        processResources();
        assertTrue(Files.size(sbom) > 0, "no SBOM made in " + sbomDir);

        FileTime made = FileTime.fromMillis(Files.getLastModifiedTime(pom()).toMillis() + TimeUnit.HOURS.toMillis(1));
        Files.setLastModifiedTime(sbom, made);
        processResources();
        assertEquals(made, Files.getLastModifiedTime(sbom), "the SBOM was made again though pom.xml is older");

        FileTime stale = FileTime.fromMillis(Files.getLastModifiedTime(pom()).toMillis() - TimeUnit.HOURS.toMillis(1));
        Files.writeString(sbom, "{}");
        Files.setLastModifiedTime(sbom, stale);
        processResources();
        assertNotEquals(stale, Files.getLastModifiedTime(sbom), "the SBOM was kept though pom.xml is newer");
        assertTrue(Files.readString(sbom).contains("\"bomFormat\" : \"CycloneDX\""), "not remade: " + Files.readString(sbom));
    }

    @Test
    void offlineImageBuildWithoutAnSbomYetStopsSayingHowToGetOne() throws Exception {
        MavenJib.Outcome build = MavenJib.attempt("sbom-freshness", true, Map.of(), List.of("compile", "jib:buildTar"), "-Dsbom.dir=" + sbomDir);
        assertEquals(1, build.exitCode(), build.output());
        assertTrue(build.output().contains("(sbom-present)") && build.output().contains("No SBOM yet (" + sbomDir)
                && build.output().contains("without -o"), build.output());
        assertFalse(Files.exists(sbomDir.resolve(BuildUnderTest.SBOM_FILE_NAME)));
    }

    private static Path pom() {
        return BuildUnderTest.PROJECT_DIR.resolve("pom.xml");
    }

    /** Online: CycloneDX makes no SBOM under -o. */
    private void processResources() throws Exception {
        MavenJib.Outcome build = MavenJib.attempt("sbom-freshness", false, Map.of(), List.of("process-resources"), "-Dsbom.dir=" + sbomDir);
        assertEquals(0, build.exitCode(), build.output());
    }
}
