package com.example.gsping.images;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.util.List;

import static com.example.gsping.images.BuildUnderTest.LATEST;
import static com.example.gsping.images.BuildUnderTest.MULTISTAGE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No credentials in any layer or in the config of the images the build wrote (latest is also v1.0: one image):
 * {@link SecretRules} over every file of every layer, labels, env, entrypoint and history. SecretScanTest shows the
 * same scan failing on planted secrets.
 */
class SecretScanIT {

    @ParameterizedTest
    @ValueSource(strings = {LATEST, MULTISTAGE})
    void noLayerAndNoConfigStringHoldsACredential(String image) throws IOException {
        ImageTarball tarball = ImageTarball.open(BuildUnderTest.outputs(image).tarball());
        SecretScan.Report report = SecretScan.of(tarball);
        System.out.printf("[secret scan] %s: %,d files in %d layers and the config: %d findings; passed an allowlist: %s%n",
                tarball.repoTags(), report.filesScanned(), report.layers(), report.findings().size(), report.allowlisted());
        assertTrue(report.filesScanned() > 0, "files were read");
        assertEquals(tarball.layerFiles().size(), report.layers(), "every layer was read");
        assertEquals(List.of(), report.findings());
    }
}
