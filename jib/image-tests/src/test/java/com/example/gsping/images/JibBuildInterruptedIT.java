package com.example.gsping.images;

import io.micronaut.json.tree.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code jib:build@latest} to a registry of the test's own that is killed (SIGKILL) as the first layer's
 * bytes start to go up: Maven fails with a line that names the registry and the cause; with the registry
 * back on the same storage, every tag resolves to a complete image, the tag that was there keeps its digest,
 * and the same command then pushes the digest Jib reports.
 */
class JibBuildInterruptedIT {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String ACCEPT = ImageTarball.DOCKER_MANIFEST_V2 + ", application/vnd.oci.image.manifest.v1+json";
    private static final String REPO = BuildUnderTest.IMAGE_NAME;

    @TempDir
    Path dir;

    @Test
    void pushCutOffByARegistryCrashFailsClearlyLeavesNoHoleAndSucceedsOnRerun() throws Exception {
        try (CrashableRegistry registry = CrashableRegistry.start(dir)) {
            String[] toRegistry = {"-Dimage.registry=" + registry.address() + "/", "-Djib.allowInsecureRegistries=true"};
            List<String> keepArgs = new ArrayList<>(List.of(toRegistry));
            keepArgs.add("-Djib.to.image=" + registry.address() + "/" + REPO + ":keep");
            Path kept = MavenJib.run("jib-crash-keep", false, List.of("compile", "jib:build@multistage"), keepArgs.toArray(String[]::new));
            String keep = new JibOutputs(kept, BuildUnderTest.MULTISTAGE).digest();

            registry.crashAtFirst("PATCH"); // Jib streams each layer's bytes in a PATCH
            MavenJib.Outcome crashed = MavenJib.attempt("jib-crash", false, Map.of(), List.of("compile", "jib:build"), toRegistry);
            assertEquals(1, crashed.exitCode(), crashed.output());
            assertTrue(registry.crashedAt() != null && registry.crashedAt().startsWith("PATCH /v2/" + REPO + "/blobs/uploads/"),
                    String.valueOf(registry.crashedAt()));
            // Jib retries the upload and finds the port closed: the registry and the cause, in Maven's error line
            assertTrue(crashed.output().contains(":build (default-cli) on project docker-gs-ping: Connect to " + registry.address() + " [/127.0.0.1] failed: Connection refused"),
                    crashed.output());

            registry.restart();
            assertEquals(Map.of("keep", keep), completeTags(registry.upstream()), "after the crash");

            MavenJib.Outcome rerun = MavenJib.attempt("jib-crash", false, Map.of(), List.of("compile", "jib:build"), toRegistry);
            assertEquals(0, rerun.exitCode(), rerun.output());
            String pushed = new JibOutputs(BuildUnderTest.BUILD_DIR.resolve("jib-crash"), BuildUnderTest.LATEST).digest();
            assertEquals(Map.of("keep", keep, "latest", pushed, "v1.0", pushed), completeTags(registry.upstream()), "after the rerun");
        }
    }

    /** Every tag with its manifest digest, after checking that the manifest and each blob it names exist (HEAD). */
    private static Map<String, String> completeTags(String registry) throws Exception {
        String base = "http://" + registry + "/v2/" + REPO;
        Map<String, String> tags = new TreeMap<>();
        for (String tag : Json.strings(Json.parse(get(base + "/tags/list", 200).body()).get("tags"))) {
            HttpResponse<byte[]> manifest = get(base + "/manifests/" + tag, 200);
            String digest = manifest.headers().firstValue("Docker-Content-Digest").orElseThrow();
            JsonNode json = Json.parse(manifest.body());
            List<String> blobs = new ArrayList<>(List.of(json.get("config").get("digest").getStringValue()));
            json.get("layers").values().forEach(layer -> blobs.add(layer.get("digest").getStringValue()));
            for (String blob : blobs) {
                int status = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/blobs/" + blob)).method("HEAD", HttpRequest.BodyPublishers.noBody())
                        .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
                assertEquals(200, status, tag + " (" + digest + ") names missing blob " + blob);
            }
            tags.put(tag, digest);
        }
        return tags;
    }

    private static HttpResponse<byte[]> get(String url, int expected) throws Exception {
        HttpResponse<byte[]> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Accept", ACCEPT).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(expected, response.statusCode(), url);
        return response;
    }
}
