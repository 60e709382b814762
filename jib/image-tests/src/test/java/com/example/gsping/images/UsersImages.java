package com.example.gsping.images;

import io.micronaut.json.tree.JsonNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * What of the user's the image tests could touch, as it is now: every {@code docker-gs-ping:*} tag in the shared
 * daemon with its image ID, and every tag of every repository whose name contains {@code docker-gs-ping} in the
 * shared registry on 127.0.0.1:5000 with its manifest digest and image ID (config digest).
 * {@link UsersImagesSnapshotIT} records it before the other tests and {@link UsersImagesUntouchedIT} compares after.
 */
final class UsersImages {

    static final String REGISTRY = "127.0.0.1:5000";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String ACCEPT = String.join(", ", ImageTarball.DOCKER_MANIFEST_V2, "application/vnd.oci.image.manifest.v1+json",
            "application/vnd.oci.image.index.v1+json", "application/vnd.docker.distribution.manifest.list.v2+json");

    private UsersImages() {
    }

    /** Where {@link UsersImagesSnapshotIT} leaves the state before the tests. */
    static Path snapshotFile() {
        return BuildUnderTest.BUILD_DIR.resolve("users-images-before.properties");
    }

    /** {@code daemon REPO:TAG} → image ID, {@code REGISTRY/REPO:TAG} → {@code manifest-digest image-id}, sorted. */
    static Map<String, String> now() throws Exception {
        Map<String, String> state = new TreeMap<>();
        DockerCli.SHARED.requireDaemon();
        DockerCli.SHARED.ok("image", "ls", "--no-trunc", "--format", "{{.Repository}}:{{.Tag}} {{.ID}}", BuildUnderTest.IMAGE_NAME)
                .lines().filter(line -> !line.isBlank()).map(line -> line.split(" "))
                .forEach(parts -> state.put("daemon " + parts[0], parts[1]));
        for (String repository : repositories()) {
            if (!repository.contains(BuildUnderTest.IMAGE_NAME)) {
                continue;
            }
            JsonNode tags = get("/v2/" + repository + "/tags/list").get("tags");
            for (String tag : tags == null || tags.isNull() ? java.util.List.<String>of() : Json.strings(tags)) {
                HttpResponse<byte[]> manifest = send("/v2/" + repository + "/manifests/" + tag);
                if (manifest.statusCode() != 200) {
                    continue; // untagged by another process while this looked
                }
                JsonNode config = Json.parse(manifest.body()).get("config");
                state.put(REGISTRY + "/" + repository + ":" + tag, Json.sha256(manifest.body())
                        + (config == null ? "" : " " + config.get("digest").getStringValue()));
            }
        }
        return state;
    }

    /**
     * The tags whose value differs between {@code before} and {@code after} ({@code NAME: was -> is}): with
     * {@code ours}, those where either value names an image of this build (by its ID or manifest digest), which
     * only the tests can have put there or replaced; without, the others.
     */
    static java.util.List<String> changes(Map<String, String> before, Map<String, String> after, Set<String> made, boolean ours) {
        Set<String> names = new java.util.TreeSet<>(before.keySet());
        names.addAll(after.keySet());
        java.util.List<String> changes = new java.util.ArrayList<>();
        for (String name : names) {
            String was = before.get(name);
            String is = after.get(name);
            if (!java.util.Objects.equals(was, is) && (isOurs(was, made) || isOurs(is, made)) == ours) {
                changes.add(name + ": " + (was == null ? "(none)" : was) + " -> " + (is == null ? "(none)" : is));
            }
        }
        return changes;
    }

    private static boolean isOurs(String value, Set<String> made) {
        return value != null && java.util.Arrays.stream(value.split(" ")).anyMatch(made::contains);
    }

    /** The registry's repositories, page by page (distribution answers at most 1000 at a time). */
    private static java.util.List<String> repositories() throws Exception {
        java.util.List<String> all = new java.util.ArrayList<>();
        for (String last = null; ; ) {
            java.util.List<String> page = Json.strings(get("/v2/_catalog?n=1000" + (last == null ? "" : "&last=" + last)).get("repositories"));
            all.addAll(page);
            if (page.size() < 1000) {
                return all;
            }
            last = page.get(page.size() - 1);
        }
    }

    /** The image IDs and manifest digests of the images this build made, which are what the tests load, tag and push. */
    static Set<String> madeByThisBuild() throws IOException {
        Set<String> ours = new HashSet<>();
        try (Stream<Path> files = Files.walk(BuildUnderTest.BUILD_DIR, 2)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".id") || f.toString().endsWith(".digest")).toList()) {
                ours.add(Files.readString(file).strip());
            }
        }
        return ours;
    }

    private static JsonNode get(String path) throws Exception {
        HttpResponse<byte[]> response = send(path);
        if (response.statusCode() != 200) {
            throw new AssertionError("GET http://" + REGISTRY + path + " answered " + response.statusCode() + "; run bash jib/local-env.sh");
        }
        return Json.parse(response.body());
    }

    private static HttpResponse<byte[]> send(String path) throws Exception {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://" + REGISTRY + path)).header("Accept", ACCEPT)
                    .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new AssertionError("no registry at " + REGISTRY + " (" + e + "); run bash jib/local-env.sh", e);
        }
    }
}
