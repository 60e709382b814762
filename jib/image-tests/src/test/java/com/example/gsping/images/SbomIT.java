package com.example.gsping.images;

import io.micronaut.json.tree.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static com.example.gsping.images.BuildUnderTest.LATEST;
import static com.example.gsping.images.BuildUnderTest.MULTISTAGE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each image's CycloneDX SBOM, shipped in the image and next to its tarball, the same bytes: this project at its
 * version, exactly the jars Jib put in the dependencies layer with the versions the build resolved and their licenses
 * with texts (cyclonedx-maven-plugin), and its base's Debian packages (jib/image-sbom.sh; ScannerIT checks those
 * against a scanner's).
 */
class SbomIT {

    /** {@code pkg:maven/GROUP/NAME@VERSION?qualifiers}, as the plugin writes purls. */
    private static final Pattern MAVEN_PURL = Pattern.compile("pkg:maven/([^/]+)/([^@]+)@([^?]+)(?:\\?(.*))?");
    /** Components the service cannot run without; their versions are read from the image, not written here. */
    private static final List<String> KEY_COMPONENTS = List.of("micronaut-http-server-netty", "netty-codec-http", "micronaut-serde-jackson",
            "jackson-core", "logback-classic");

    private static final Map<String, ImageTarball> TARBALLS = new HashMap<>();
    private static final Map<String, ImageTarball.Layers> LAYERS = new HashMap<>();
    private static final Map<String, byte[]> SBOM_BYTES = new HashMap<>();
    private static final Map<String, JsonNode> SBOMS = new HashMap<>();

    @BeforeAll
    static void readBothImagesAndTheirSboms() throws IOException {
        for (String image : List.of(LATEST, MULTISTAGE)) {
            byte[] bytes = Files.readAllBytes(BuildUnderTest.sbom(BuildUnderTest.IMAGE_DIR, image));
            SBOM_BYTES.put(image, bytes);
            SBOMS.put(image, Json.parse(bytes));
            ImageTarball tarball = ImageTarball.open(BuildUnderTest.outputs(image).tarball());
            TARBALLS.put(image, tarball);
            LAYERS.put(image, tarball.readLayers(BuildUnderTest.sbomImagePath(image)::equals));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {LATEST, MULTISTAGE})
    void eachImageShipsItsSbomByteForByteAsWrittenNextToItsTarball(String image) {
        String path = BuildUnderTest.sbomImagePath(image);
        ImageFs.Entry shipped = LAYERS.get(image).fs().entry(path);
        assertNotNull(shipped, path + " in " + image);
        assertEquals(ImageFs.Type.FILE, shipped.type());
        assertEquals(0444, shipped.mode() & 0444, "readable by every user, 65532 included: " + Integer.toOctalString(shipped.mode()));
        assertArrayEquals(SBOM_BYTES.get(image), shipped.content(), path + " vs " + BuildUnderTest.sbom(BuildUnderTest.IMAGE_DIR, image));
        List<String> comments = TARBALLS.get(image).layerHistoryComments();
        assertEquals("extra files", comments.get(shipped.layer()), "shipped by Jib as an extra directory: " + comments);
    }

    @ParameterizedTest
    @ValueSource(strings = {LATEST, MULTISTAGE})
    void describesThisProjectAsAnApplicationAtTheBuiltVersion(String image) {
        JsonNode sbom = SBOMS.get(image);
        assertEquals("CycloneDX", sbom.get("bomFormat").getStringValue());
        assertEquals("1.6", sbom.get("specVersion").getStringValue());
        JsonNode component = sbom.get("metadata").get("component");
        assertEquals("application", component.get("type").getStringValue());
        assertEquals("com.example", component.get("group").getStringValue());
        assertEquals(BuildUnderTest.IMAGE_NAME, component.get("name").getStringValue());
        assertEquals(BuildUnderTest.VERSION, component.get("version").getStringValue());
        assertTrue(component.get("purl").getStringValue().startsWith("pkg:maven/com.example/docker-gs-ping@" + BuildUnderTest.VERSION), component.get("purl").getStringValue());
    }

    @ParameterizedTest
    @ValueSource(strings = {LATEST, MULTISTAGE})
    void listsExactlyTheJarsOfJibsDependenciesLayerWithTheirResolvedVersions(String image) {
        List<String> jars = dependencyJars(image);
        List<String> described = jarComponents(image).stream().map(SbomIT::jarName).sorted().toList();
        assertEquals(jars, described, "the SBOM's components as jar names vs /app/libs in the dependencies layer");
        for (String name : KEY_COMPONENTS) {
            String jar = jars.stream().filter(file -> file.matches(Pattern.quote(name) + "-\\d.*\\.jar")).findFirst()
                    .orElseThrow(() -> new AssertionError(name + " not in " + jars));
            String version = jar.substring(name.length() + 1, jar.length() - ".jar".length());
            JsonNode component = component(image, name).orElseThrow(() -> new AssertionError(name + " not in the SBOM"));
            assertEquals(version, component.get("version").getStringValue(), name + ": the version the build resolved (" + jar + ")");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {LATEST, MULTISTAGE})
    void everyJarNamesItsLicensesWithTheLicenseText(String image) {
        List<JsonNode> all = new ArrayList<>(jarComponents(image));
        all.add(SBOMS.get(image).get("metadata").get("component"));
        for (JsonNode component : all) {
            String name = component.get("name").getStringValue();
            List<JsonNode> licenses = licenses(component);
            assertFalse(licenses.isEmpty(), name + " has a license");
            assertTrue(licenses.stream().anyMatch(license -> license.get("text") != null), name + " has a license text: " + licenses);
        }
        JsonNode apache = licenses(component(image, "netty-codec-http").orElseThrow()).get(0);
        assertEquals("Apache-2.0", apache.get("id").getStringValue());
        assertTrue(licenseText(apache).contains("Apache License") && licenseText(apache).contains("TERMS AND CONDITIONS FOR USE"),
                "the Apache-2.0 text itself");
    }

    private static List<String> dependencyJars(String image) {
        ImageTarball tarball = TARBALLS.get(image);
        int layer = tarball.layerHistoryComments().indexOf("dependencies");
        assertTrue(layer >= 0, "a dependencies layer: " + tarball.layerHistoryComments());
        return LAYERS.get(image).layers().get(layer).entries().stream()
                .filter(entry -> entry.type() == ImageFs.Type.FILE && entry.path().startsWith("/app/libs/") && entry.name().endsWith(".jar"))
                .map(ImageFs.Entry::name).sorted().toList();
    }

    /** The components with a Maven purl: the jars (the others are the base's Debian packages). */
    private static List<JsonNode> jarComponents(String image) {
        List<JsonNode> components = new ArrayList<>();
        SBOMS.get(image).get("components").values().forEach(component -> {
            if (component.get("purl").getStringValue().startsWith("pkg:maven/")) {
                components.add(component);
            }
        });
        return components;
    }

    private static Optional<JsonNode> component(String image, String name) {
        return jarComponents(image).stream().filter(component -> component.get("name").getStringValue().equals(name)).findFirst();
    }

    /** The file name Maven (and so Jib) gives a component's jar: NAME-VERSION[-CLASSIFIER].jar. */
    private static String jarName(JsonNode component) {
        String purl = component.get("purl").getStringValue();
        Matcher parts = MAVEN_PURL.matcher(purl);
        assertTrue(parts.matches(), "a Maven purl: " + purl);
        String classifier = parts.group(4) == null ? "" : List.of(parts.group(4).split("&")).stream()
                .filter(qualifier -> qualifier.startsWith("classifier=")).map(qualifier -> "-" + qualifier.substring("classifier=".length()))
                .findFirst().orElse("");
        return parts.group(2) + "-" + parts.group(3) + classifier + ".jar";
    }

    /** The {@code license} objects of a component (id or name, and text). */
    private static List<JsonNode> licenses(JsonNode component) {
        List<JsonNode> licenses = new ArrayList<>();
        JsonNode choices = component.get("licenses");
        if (choices != null) {
            choices.values().forEach(choice -> {
                if (choice.get("license") != null) {
                    licenses.add(choice.get("license"));
                }
            });
        }
        return licenses;
    }

    private static String licenseText(JsonNode license) {
        JsonNode text = license.get("text");
        String content = text.get("content").getStringValue();
        JsonNode encoding = text.get("encoding");
        return encoding != null && encoding.getStringValue().equals("base64")
                ? new String(Base64.getMimeDecoder().decode(content), StandardCharsets.UTF_8) : content;
    }
}
