package com.example.gsping.images;

import io.micronaut.json.tree.JsonNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static com.example.gsping.images.BuildUnderTest.LATEST;
import static com.example.gsping.images.BuildUnderTest.MULTISTAGE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A real scanner sees in each image, for both platforms, the Debian packages its shipped SBOM lists, and every
 * executable and shared library in it belongs to one of them: cdxgen (its OS-package detection is Trivy's), pinned and
 * installed by jib/local-env.sh, offline on the tarballs. The host's platform's are the build under test's; the other
 * platform's are built here on its bases (built first when missing; its class archive is dumped under qemu: minutes).
 * latest on a published base (-Ppublished-base) is left out: its SBOM lists no base packages.
 */
class ScannerIT {

    private static final String OTHER_ARCH = BuildUnderTest.ARCH.equals("amd64") ? "arm64" : "amd64";
    /** The binary packages multistage's files come from (jib/base/build-runtime-base.sh). */
    private static final List<String> RUNTIME_PACKAGES = List.of("libc6", "libgcc-s1", "libstdc++6", "openjdk-25-jdk-headless", "zlib1g");
    private static final Pattern ARCH_QUALIFIER = Pattern.compile("[?&]arch=([^&]+)");
    private static final long SCAN_MINUTES = 10;
    private static Path otherImageDir;

    static Stream<Arguments> imagesAndPlatforms() {
        return Stream.of(BuildUnderTest.ARCH, OTHER_ARCH).flatMap(arch -> Stream.of(Arguments.of(LATEST, arch), Arguments.of(MULTISTAGE, arch)));
    }

    @ParameterizedTest(name = "{0} linux/{1}")
    @MethodSource("imagesAndPlatforms")
    void theScannerFindsTheSbomsDebianPackagesAndAnOwnerForEveryBinary(String image, String arch) throws Exception {
        assumeBuiltHereOnItsBase(image);
        Path imageDir = imageDir(arch);
        JsonNode scanned = scan(new JibOutputs(imageDir, image).tarball(), image + "-" + arch);
        Set<String> shipped = debianPackages(Json.parse(Files.readAllBytes(BuildUnderTest.sbom(imageDir, image))), false);
        Set<String> found = debianPackages(scanned, false);
        assertTrue(shipped.stream().allMatch(pkg -> pkg.endsWith(" " + arch) || pkg.endsWith(" all")), "the shipped SBOM lists linux/" + arch + "'s packages: " + shipped);
        Set<String> missed = new TreeSet<>(shipped);
        missed.removeAll(found);
        assertEquals(Set.of(), missed, "in the shipped SBOM, not found by the scanner");
        // the scanner lists source packages too (glibc for libc6); those aside, it finds what the SBOM lists
        Set<String> unlisted = new TreeSet<>(debianPackages(scanned, true));
        unlisted.removeAll(shipped);
        assertEquals(Set.of(), unlisted, "found by the scanner, not in the shipped SBOM");
        assertEquals(List.of(), unownedBinaries(scanned), "executables and shared libraries that no package found owns");
        if (image.equals(MULTISTAGE)) {
            for (String name : RUNTIME_PACKAGES) {
                String expected = name + " " + pinnedVersion(name) + " " + arch;
                assertTrue(found.contains(expected), expected + " among " + found);
            }
        }
    }

    @ParameterizedTest(name = "{0} linux/{1}")
    @MethodSource("imagesAndPlatforms")
    void theShippedSbomValidatesAsCycloneDx(String image, String arch) throws Exception {
        assumeBuiltHereOnItsBase(image);
        Path sbom = BuildUnderTest.sbom(imageDir(arch), image);
        // --categories none: the schema and cdxgen's purl and reference checks, not its compliance scorecards
        run("cdx-validate-" + image + "-" + arch, Map.of(), "cdx-validate", "-i", sbom.toString(), "--strict", "--categories", "none");
    }

    private static void assumeBuiltHereOnItsBase(String image) {
        assumeTrue(image.equals(MULTISTAGE) || BuildUnderTest.latestBaseTarball() != null,
                "latest is on a published base (-Ppublished-base), whose packages its SBOM does not list");
    }

    /** The image dir of ARCH's tarballs and SBOMs: the build under test's, or one built here for the other platform. */
    private static synchronized Path imageDir(String arch) throws Exception {
        if (arch.equals(BuildUnderTest.ARCH)) {
            return BuildUnderTest.IMAGE_DIR;
        }
        if (otherImageDir == null) {
            BaseScript.run(BuildUnderTest.BASE_DIR, 10, "build-runtime-base.sh", "--arch", arch);
            // not the build under test's, which holds its platform's archive only
            String classArchiveDir = "-Dclass.archive.dir=" + BuildUnderTest.BUILD_DIR.resolve("class-archive-" + arch);
            if (BuildUnderTest.latestBaseTarball() == null) {
                otherImageDir = MavenJib.run("jib-" + arch, List.of("compile", "jib:buildTar@multistage"), "-Dimage.arch=" + arch, classArchiveDir);
            } else {
                BaseScript.run(BuildUnderTest.BASE_DIR, 40, "build-jdk-base.sh", "--arch", arch);
                Path latestBase = BuildUnderTest.BASE_DIR.resolve("jdk25-linux-" + arch + ".tar");
                // after MavenJib's own -Dimage.arch and latest base, which are the build under test's
                otherImageDir = MavenJib.run("jib-" + arch, List.of("compile", "jib:buildTar", "jib:buildTar@multistage"),
                        "-Dimage.arch=" + arch, classArchiveDir, "-Dlatest.base.file=" + latestBase, "-Dlatest.base.image=tar://" + latestBase);
            }
        }
        return otherImageDir;
    }

    /** cdxgen's SBOM of the image in TARBALL, as {@code cdxgen -t docker TARBALL} makes it. */
    private static JsonNode scan(Path tarball, String name) throws Exception {
        Path out = BuildUnderTest.BUILD_DIR.resolve("cdxgen-" + name + ".json");
        Files.deleteIfExists(out);
        // offline: no license look-ups on the network
        run("cdxgen-" + name, Map.of("FETCH_LICENSE", "false"), "cdxgen", "-t", "docker", tarball.toString(), "-o", out.toString());
        return Json.parse(Files.readAllBytes(out));
    }

    /** Runs COMMAND with ENV added, its output in target/LOG_NAME.log; fails unless it exits 0 within SCAN_MINUTES. */
    private static void run(String logName, Map<String, String> env, String... command) throws Exception {
        Path log = BuildUnderTest.BUILD_DIR.resolve(logName + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        Process process = builder.start();
        if (!process.waitFor(SCAN_MINUTES, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " still running after " + SCAN_MINUTES + " min: " + log);
        }
        assertEquals(0, process.exitValue(), String.join(" ", command) + ": " + Files.readString(log));
    }

    /** "NAME VERSION ARCH" of each pkg:deb component, but those tagged "source" (the scanner's source packages) when binariesOnly. */
    private static Set<String> debianPackages(JsonNode sbom, boolean binariesOnly) {
        Set<String> packages = new TreeSet<>();
        sbom.get("components").values().forEach(component -> {
            JsonNode purl = component.get("purl");
            if (purl == null || !purl.getStringValue().startsWith("pkg:deb/")) {
                return;
            }
            JsonNode tags = component.get("tags");
            if (binariesOnly && tags != null && Json.strings(tags).contains("source")) {
                return;
            }
            Matcher arch = ARCH_QUALIFIER.matcher(purl.getStringValue());
            assertTrue(arch.find(), "an arch qualifier: " + purl.getStringValue());
            packages.add(component.get("name").getStringValue() + " " + component.get("version").getStringValue() + " " + arch.group(1));
        });
        return packages;
    }

    /** The executables and shared libraries cdxgen lists as files that no package's {@code provides} names. */
    private static List<String> unownedBinaries(JsonNode sbom) {
        Set<String> provided = new HashSet<>();
        sbom.get("dependencies").values().forEach(dependency -> {
            JsonNode provides = dependency.get("provides");
            if (provides != null) {
                provided.addAll(Json.strings(provides));
            }
        });
        List<String> unowned = new ArrayList<>();
        sbom.get("components").values().forEach(component -> {
            JsonNode properties = component.get("properties");
            if (!component.get("type").getStringValue().equals("file") || properties == null) {
                return;
            }
            boolean binary = false;
            for (JsonNode property : properties.values()) {
                String name = property.get("name").getStringValue();
                binary |= name.equals("internal:is_executable") || name.equals("internal:is_shared_library");
            }
            String ref = component.get("bom-ref").getStringValue();
            if (binary && !provided.contains(ref)) {
                unowned.add(ref);
            }
        });
        return unowned;
    }

    /** The version jib/base/debian-versions.txt pins for NAME. */
    private static String pinnedVersion(String name) throws Exception {
        return Files.readAllLines(BuildUnderTest.PROJECT_DIR.resolve("jib/base/debian-versions.txt")).stream()
                .map(line -> line.replaceAll("#.*", "").strip()).filter(line -> line.startsWith(name + "="))
                .map(line -> line.substring(name.length() + 1)).findFirst()
                .orElseThrow(() -> new AssertionError(name + " not pinned in jib/base/debian-versions.txt"));
    }
}
