package com.example.gsping.images;

import java.nio.file.Path;

/** What failsafe tells the image tests about the service's build that ran before them (see this module's pom.xml). */
final class BuildUnderTest {

    static final String IMAGE_NAME = "docker-gs-ping";
    static final String LATEST = "latest";
    static final String MULTISTAGE = "multistage";

    /** Where the build's Jib executions wrote tarballs, digests, IDs and image JSON. */
    static final Path IMAGE_DIR = Path.of(property("image.dir", null)).toAbsolutePath().normalize();
    /** The service's project directory (normalized: the pom gives it as this module's ../..). */
    static final Path PROJECT_DIR = Path.of(property("project.dir", null)).toAbsolutePath().normalize();
    static final Path BUILD_DIR = Path.of(property("build.dir", null)).toAbsolutePath().normalize();
    static final String VERSION = property("project.version", null);
    static final String DESCRIPTION = property("project.description", null);
    /** Where the build under test found the bases built on this machine (jib/base/, cached): the reruns use the same ones. */
    static final Path BASE_DIR = Path.of(property("base.dir", null));
    /** The latest image's cached bases without -linux-ARCH.tar, which its SBOM lists the packages of; "" with -Ppublished-base. */
    static final String LATEST_BASE_CACHE = property("latest.base.cache", "");
    /** The latest image's base as a file, or "" when it comes from a registry (-Ppublished-base). */
    static final String LATEST_BASE_FILE = property("latest.base.file", "");
    /** The latest image's base as the build resolved it: {@code tar://…} of its file, else a registry reference. */
    static final String LATEST_BASE_IMAGE = property("latest.base.image", null);
    /** The multistage image's base: the runtime jlinked on this machine (jib/base/build-runtime-base.sh). */
    static final Path MULTISTAGE_BASE_FILE = Path.of(property("multistage.base.file", null));
    /** The platform the build under test built its tarballs for (linux/ARCH): the host's unless -Dimage.arch said otherwise. */
    static final String ARCH = property("image.arch", null);
    /** The application's CycloneDX SBOM (cyclonedx-maven-plugin's, in the build's sbom.dir): its file name. */
    static final String SBOM_FILE_NAME = property("sbom.file.name", null);
    private static final String SBOM_IMAGE_DIR = property("sbom.image.dir", null);

    private BuildUnderTest() {
    }

    /** IMAGE's SBOM (the application's and its base's Debian packages: jib/image-sbom.sh), next to its tarball in {@code imageDir}. */
    static Path sbom(Path imageDir, String image) {
        return imageDir.resolve(sbomFileName(image));
    }

    /** Where IMAGE carries its SBOM. */
    static String sbomImagePath(String image) {
        return SBOM_IMAGE_DIR + "/" + sbomFileName(image);
    }

    private static String sbomFileName(String image) {
        return IMAGE_NAME + "-" + image + ".cdx.json";
    }

    static JibOutputs outputs(String image) {
        return new JibOutputs(IMAGE_DIR, image);
    }

    /** The tarball the latest image was built on, when it was built on a file (not -Ppublished-base). */
    static Path latestBaseTarball() {
        return LATEST_BASE_FILE.isEmpty() ? null : Path.of(LATEST_BASE_FILE);
    }

    private static String property(String name, String fallback) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            if (fallback == null) {
                throw new IllegalStateException("system property " + name + " is not set: run the image tests through failsafe (./mvnw -B verify -f jib/image-tests/pom.xml)");
            }
            return fallback;
        }
        return value;
    }
}
