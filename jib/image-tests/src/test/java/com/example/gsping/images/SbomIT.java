package com.example.gsping.images;

import io.micronaut.json.tree.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
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
import static com.example.gsping.images.BuildUnderTest.SBOM_IMAGE_PATH;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The application's CycloneDX SBOM, as the build made it (cyclonedx-maven-plugin), shipped in both images and
 * next to their tarballs: the same bytes everywhere, this project at its version, exactly the jars Jib put in the
 * dependencies layer with the versions the build resolved, and their licenses with texts.
 */
class SbomIT {

    /** {@code pkg:maven/GROUP/NAME@VERSION?qualifiers}, as the plugin writes purls. */
    private static final Pattern MAVEN_PURL = Pattern.compile("pkg:maven/([^/]+)/([^@]+)@([^?]+)(?:\\?(.*))?");
    /** Components the service cannot run without; their versions are read from the image, not written here. */
    private static final List<String> KEY_COMPONENTS = List.of("micronaut-http-server-netty", "netty-codec-http", "micronaut-serde-jackson",
            "jackson-core", "logback-classic");

    private static final Map<String, ImageTarball> TARBALLS = new HashMap<>();
    private static final Map<String, ImageTarball.Layers> LAYERS = new HashMap<>();
    private static byte[] sbomBytes;
    private static JsonNode sbom;

    @BeforeAll
    static void readTheSbomAndBothImages() throws IOException {
        sbomBytes = Files.readAllBytes(BuildUnderTest.IMAGE_DIR.resolve(BuildUnderTest.SBOM_FILE_NAME));
        sbom = Json.parse(sbomBytes);
        for (String image : List.of(LATEST, MULTISTAGE)) {
            ImageTarball tarball = ImageTarball.open(BuildUnderTest.outputs(image).tarball());
            TARBALLS.put(image, tarball);
            LAYERS.put(image, tarball.readLayers(SBOM_IMAGE_PATH::equals));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {LATEST, MULTISTAGE})
    void eachImageShipsTheSbomByteForByteAsWrittenNextToTheTarballs(String image) {
        ImageFs.Entry shipped = LAYERS.get(image).fs().entry(SBOM_IMAGE_PATH);
        assertNotNull(shipped, SBOM_IMAGE_PATH + " in " + image);
        assertEquals(ImageFs.Type.FILE, shipped.type());
        assertEquals(0444, shipped.mode() & 0444, "readable by every user, 65532 included: " + Integer.toOctalString(shipped.mode()));
        assertArrayEquals(sbomBytes, shipped.content(), SBOM_IMAGE_PATH + " vs " + BuildUnderTest.IMAGE_DIR.resolve(BuildUnderTest.SBOM_FILE_NAME));
        List<String> comments = TARBALLS.get(image).layerHistoryComments();
        assertEquals("extra files", comments.get(shipped.layer()), "shipped by Jib as an extra directory: " + comments);
    }

    @Test
    void describesThisProjectAsAnApplicationAtTheBuiltVersion() {
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
        List<String> described = components().stream().map(SbomIT::jarName).sorted().toList();
        assertEquals(jars, described, "the SBOM's components as jar names vs /app/libs in the dependencies layer");
        for (String name : KEY_COMPONENTS) {
            String jar = jars.stream().filter(file -> file.matches(Pattern.quote(name) + "-\\d.*\\.jar")).findFirst()
                    .orElseThrow(() -> new AssertionError(name + " not in " + jars));
            String version = jar.substring(name.length() + 1, jar.length() - ".jar".length());
            JsonNode component = component(name).orElseThrow(() -> new AssertionError(name + " not in the SBOM"));
            assertEquals(version, component.get("version").getStringValue(), name + ": the version the build resolved (" + jar + ")");
        }
    }

    @Test
    void everyComponentNamesItsLicensesWithTheLicenseText() {
        List<JsonNode> all = new ArrayList<>(components());
        all.add(sbom.get("metadata").get("component"));
        for (JsonNode component : all) {
            String name = component.get("name").getStringValue();
            List<JsonNode> licenses = licenses(component);
            assertFalse(licenses.isEmpty(), name + " has a license");
            assertTrue(licenses.stream().anyMatch(license -> license.get("text") != null), name + " has a license text: " + licenses);
        }
        JsonNode apache = licenses(component("netty-codec-http").orElseThrow()).get(0);
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

    private static List<JsonNode> components() {
        List<JsonNode> components = new ArrayList<>();
        sbom.get("components").values().forEach(components::add);
        return components;
    }

    private static Optional<JsonNode> component(String name) {
        return components().stream().filter(component -> component.get("name").getStringValue().equals(name)).findFirst();
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
