package com.example.gsping.image;

import io.micronaut.json.tree.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
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

import static com.example.gsping.image.BuildUnderTest.LATEST;
import static com.example.gsping.image.BuildUnderTest.MULTISTAGE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code jib:build} of both images to the local registry (127.0.0.1:5000, plain HTTP), then what is there,
 * read back over the distribution API: the manifests under each tag and the blobs they point to.
 */
class RegistryPushIT {

    private static final String REGISTRY = System.getProperty("registry.address", "127.0.0.1:5000");
    private static final String REPO = BuildUnderTest.IMAGE_NAME;
    private static final String ACCEPT = String.join(", ", ImageTarball.DOCKER_MANIFEST_V2, "application/vnd.oci.image.manifest.v1+json");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static Path pushed;

    @BeforeAll
    static void pushBothImages() throws Exception {
        requireRegistry();
        pushed = MavenJib.run("jib-registry", false, List.of("jib:build@latest", "jib:build@multistage"),
                "-Dimage.registry=" + REGISTRY + "/", "-Djib.allowInsecureRegistries=true");
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
        assertEquals(200, response.statusCode(), REPO + ":" + tag + " in " + REGISTRY);
        return response;
    }

    private static <T> HttpResponse<T> get(String path, String accept, HttpResponse.BodyHandler<T> body) throws IOException, InterruptedException {
        return HTTP.send(request(path, accept).GET().build(), body);
    }

    private static HttpRequest.Builder request(String path, String accept) {
        return HttpRequest.newBuilder(URI.create("http://" + REGISTRY + "/v2/" + REPO + path))
                .header("Accept", accept).timeout(Duration.ofSeconds(30));
    }

    private static void requireRegistry() throws InterruptedException {
        String url = "http://" + REGISTRY + "/v2/";
        try {
            HttpResponse<Void> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() != 200) {
                throw new AssertionError(url + " answered " + response.statusCode() + ", not a registry without auth; run bash jib/local-env.sh");
            }
        } catch (IOException e) {
            throw new AssertionError("no registry at " + url + " (" + e + "); run bash jib/local-env.sh", e);
        }
    }
}
