package com.example.gsping.images;

import io.micronaut.json.tree.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static com.example.gsping.images.BuildUnderTest.LATEST;
import static com.example.gsping.images.BuildUnderTest.MULTISTAGE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code jib:build} of both images to a registry of the test's own (a {@link CrashableRegistry} that is never
 * crashed, plain HTTP; the shared one on 127.0.0.1:5000 holds the user's repositories), then what is there,
 * read back over the distribution API: the manifests under each tag and the blobs they point to.
 */
class RegistryPushIT {

    private static final String REPO = BuildUnderTest.IMAGE_NAME;
    private static final String ACCEPT = String.join(", ", ImageTarball.DOCKER_MANIFEST_V2, "application/vnd.oci.image.manifest.v1+json");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    @TempDir
    static Path registryDir;
    private static CrashableRegistry registry;
    private static String registryAddress;
    private static Path pushed;

    @BeforeAll
    static void pushBothImages() throws Exception {
        registry = CrashableRegistry.start(registryDir);
        registryAddress = registry.upstream();
        pushed = MavenJib.run("jib-registry", false, List.of("compile", "jib:build", "jib:build@multistage"),
                "-Dimage.registry=" + registryAddress + "/", "-Djib.allowInsecureRegistries=true");
    }

    @AfterAll
    static void stopTheRegistry() throws Exception {
        if (registry != null) {
            registry.close();
        }
    }

    @ParameterizedTest(name = "{0}:{1}")
    @CsvSource({"latest, latest", "latest, v1.0", "multistage, multistage"})
    void manifestUnderEachTagHasTheDigestJibReported(String image, String tag) throws Exception {
        HttpResponse<byte[]> manifest = manifest(tag);
        String reported = new JibOutputs(pushed, image).digest();
        assertEquals(reported, manifest.headers().firstValue("Docker-Content-Digest").orElse(null), "Docker-Content-Digest");
        assertEquals(reported, Json.sha256(manifest.body()), "sha256 of the manifest bytes");
        assertEquals(ImageTarball.DOCKER_MANIFEST_V2, manifest.headers().firstValue("Content-Type").orElse(null));
    }

    @Test
    void latestAndV10AreTheSameManifest() throws Exception {
        assertArrayEquals(manifest("latest").body(), manifest("v1.0").body());
    }

    @ParameterizedTest
    @ValueSource(strings = {LATEST, MULTISTAGE})
    void pushedImageIsTheImageInTheTarballWithAllItsBlobs(String image) throws Exception {
        HttpResponse<byte[]> manifest = manifest(image);
        JibOutputs tarball = BuildUnderTest.outputs(image);
        assertEquals(tarball.digest(), Json.sha256(manifest.body()), "the digest of target/jib's tarball image");

        JsonNode json = Json.parse(manifest.body());
        String configDigest = json.get("config").get("digest").getStringValue();
        HttpResponse<byte[]> config = get("/blobs/" + configDigest, "*/*", HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, config.statusCode());
        assertEquals(configDigest, Json.sha256(config.body()));
        assertEquals(tarball.imageId(), configDigest, "image ID");

        List<String> tarballLayers = ImageTarball.open(tarball.tarball()).layerFiles();
        List<JsonNode> layers = toList(json.get("layers"));
        assertEquals(tarballLayers.size(), layers.size());
        for (int i = 0; i < layers.size(); i++) {
            String digest = layers.get(i).get("digest").getStringValue();
            assertEquals(tarballLayers.get(i), digest.substring("sha256:".length()) + ".tar.gz");
            HttpResponse<Void> blob = HTTP.send(request("/blobs/" + digest, "*/*").method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.discarding());
            assertEquals(200, blob.statusCode(), digest);
            assertEquals(layers.get(i).get("size").getLongValue(), blob.headers().firstValueAsLong("Content-Length").orElse(-1), digest);
        }
    }

    private static List<JsonNode> toList(JsonNode array) {
        List<JsonNode> list = new java.util.ArrayList<>();
        array.values().forEach(list::add);
        return list;
    }

    private static HttpResponse<byte[]> manifest(String tag) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = get("/manifests/" + tag, ACCEPT, HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, response.statusCode(), REPO + ":" + tag + " in " + registryAddress);
        return response;
    }

    private static <T> HttpResponse<T> get(String path, String accept, HttpResponse.BodyHandler<T> body) throws IOException, InterruptedException {
        return HTTP.send(request(path, accept).GET().build(), body);
    }

    private static HttpRequest.Builder request(String path, String accept) {
        return HttpRequest.newBuilder(URI.create("http://" + registryAddress + "/v2/" + REPO + path))
                .header("Accept", accept).timeout(Duration.ofSeconds(30));
    }
}
