package com.example.gsping.imagetool.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.gsping.imagetool.fixtures.CliRun;
import com.example.gsping.imagetool.fixtures.LocalServices;
import com.example.gsping.imagetool.fixtures.MultiPlatformImages;
import com.example.gsping.imagetool.fixtures.RegistryProcess;
import com.example.gsping.imagetool.fixtures.Skopeo;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A two-platform image (OCI index; and a Docker manifest list made from it by skopeo) against a
 * CNCF distribution registry of this class's own: push and copy keep it whole, ls/history/compare
 * read its platforms, tag and untag move only names.
 */
class MultiPlatformRegistryIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
  @TempDir static Path registryDir;
  private static RegistryProcess registry;
  private static String R;
  private static MultiPlatformImages multi;

  @TempDir Path store;
  @TempDir Path work;
  private String repo;

  @BeforeAll
  static void start() throws Exception {
    registry = RegistryProcess.start(registryDir);
    R = registry.address;
    multi = MultiPlatformImages.shared();
  }

  @AfterAll
  static void stop() throws Exception {
    registry.close();
  }

  @BeforeEach
  void loadAndPush() {
    CliRun.ok(store, "load", multi.archive.toString());
    repo = LocalServices.uniqueRepository("multi");
  }

  private String push(String tag) {
    return CliRun.ok(store, "push", "gsping-multi:latest", R + "/" + repo + ":" + tag);
  }

  @Test
  void pushKeepsTheIndexDigestAndCopiesEveryChildAndBlobOnce() throws Exception {
    List<String> lines = push("latest").lines().toList();
    assertEquals("latest: digest: " + multi.indexDigest + " size: " + LocalServices.manifestBytes(R, repo, "latest").length,
        lines.get(lines.size() - 1));
    assertEquals(6, lines.stream().filter(l -> l.endsWith(": Pushed")).count(), "4 app layers once, a runtime layer each: " + lines);
    assertEquals(4, lines.stream().filter(l -> l.endsWith(": Layer already exists")).count(), "arm64's app layers: " + lines);
    assertEquals(Optional.of(multi.indexDigest), LocalServices.manifestDigest(R, repo, "latest"));
    assertEquals(multi.indexDigest, MultiPlatformImages.sha256(LocalServices.manifestBytes(R, repo, "latest")));
    for (String child : List.of(multi.amd64Manifest, multi.arm64Manifest)) {
      assertEquals(Optional.of(child), LocalServices.manifestDigest(R, repo, child));
    }
    String raw = Skopeo.run("inspect", "--raw", "--tls-verify=false", "docker://" + R + "/" + repo + ":latest");
    JsonNode index = JSON.readTree(raw);
    assertEquals(MultiPlatformImages.OCI_INDEX, index.get("mediaType").asText());
    assertEquals("linux/amd64,linux/arm64", index.get("manifests").get(0).get("platform").get("os").asText() + "/"
        + index.get("manifests").get(0).get("platform").get("architecture").asText() + ",linux/"
        + index.get("manifests").get(1).get("platform").get("architecture").asText());
  }

  @Test
  void lsHistoryAndCompareReadThePlatformsFromTheRegistryAsFromTheStore() throws Exception {
    push("latest");
    JsonNode remote = JSON.readTree(CliRun.ok(store, "ls", "--format", "json", R + "/" + repo)).get(0);
    JsonNode local = JSON.readTree(CliRun.ok(store, "ls", "--format", "json", "gsping-multi")).get(0);
    assertEquals(local.get("platforms"), remote.get("platforms"));
    assertEquals(local.get("size"), remote.get("size"));
    List<String> table = CliRun.ok(store, "ls", R + "/" + repo).lines().toList();
    assertEquals(4, table.size(), table.toString());
    assertTrue(table.get(3).contains("\u2514\u2500 linux/arm64"), table.toString());
    JsonNode arm = JSON.readTree(CliRun.ok(store, "ls", "--format", "json", "--platform", "linux/arm64", R + "/" + repo + ":latest"));
    assertEquals(local.get("platforms").get(1).get("imageId"), arm.get(0).get("imageId"));

    assertEquals(CliRun.ok(store, "history", "--platform", "linux/arm64", "gsping-multi:latest"),
        CliRun.ok(store, "history", "--platform", "linux/arm64", R + "/" + repo + ":latest"));
    String compared = CliRun.ok(store, "compare", R + "/" + repo + ":latest", "--platform", "linux/amd64", "--platform", "linux/arm64");
    assertTrue(compared.startsWith("SHARED by both images: 4 layers"), compared);
  }

  @Test
  void tagAndUntagOfAnIndexMoveOnlyTheNameAndNeverAChild() throws Exception {
    push("latest");
    CliRun.ok(store, "tag", R + "/" + repo + ":latest", R + "/" + repo + ":v2");
    assertArrayEquals(LocalServices.manifestBytes(R, repo, "latest"), LocalServices.manifestBytes(R, repo, "v2"));
    CliRun r = CliRun.run(store, "untag", R + "/" + repo + ":latest");
    assertEquals("Untagged: " + R + "/" + repo + ":latest\n", r.out(), r.err());
    assertEquals(Optional.empty(), LocalServices.manifestDigest(R, repo, "latest"));
    assertEquals(Optional.of(multi.indexDigest), LocalServices.manifestDigest(R, repo, "v2"));
    CliRun.ok(store, "untag", R + "/" + repo + ":v2");
    for (String child : List.of(multi.indexDigest, multi.amd64Manifest, multi.arm64Manifest)) {
      assertEquals(Optional.of(child), LocalServices.manifestDigest(R, repo, child), "untag deletes no manifest but its placeholder");
    }
  }

  @Test
  void aDockerManifestListFromSkopeoIsListedCopiedAndLoadedWhole() throws Exception {
    push("latest");
    Skopeo.run("copy", "--all", "--format", "v2s2", "--src-tls-verify=false", "--dest-tls-verify=false",
        "docker://" + R + "/" + repo + ":latest", "docker://" + R + "/" + repo + ":list");
    byte[] list = LocalServices.manifestBytes(R, repo, "list");
    assertEquals(DOCKER_LIST, JSON.readTree(list).get("mediaType").asText());
    List<String> table = CliRun.ok(store, "ls", R + "/" + repo + ":list").lines().toList();
    assertEquals(4, table.size(), table.toString());

    String copy = repo + "-copy";
    List<String> copied = CliRun.ok(store, "push", R + "/" + repo + ":list", R + "/" + copy + ":list").lines().toList();
    assertTrue(copied.stream().filter(l -> l.contains(": Mounted from " + repo)).count() >= 5, copied.toString());
    assertArrayEquals(list, LocalServices.manifestBytes(R, copy, "list"));

    Path archive = work.resolve("from-skopeo.tar");
    Skopeo.run("copy", "--all", "--src-tls-verify=false", "docker://" + R + "/" + repo + ":latest",
        "oci-archive:" + archive + ":copied/multi:1");
    Path other = work.resolve("store");
    assertEquals("Loaded image: copied/multi:1\n", CliRun.ok(other, "load", archive.toString()));
    JsonNode loaded = JSON.readTree(CliRun.ok(other, "ls", "--format", "json")).get(0);
    assertEquals(multi.indexDigest, loaded.get("manifestDigest").asText(), "skopeo --all kept the index, and so did load");
    assertEquals(2, loaded.get("platforms").size());
  }

  @Test
  void aChildMissingInTheRegistryIsNamedInOneLine() throws Exception {
    push("latest");
    int status = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
        java.net.URI.create("http://" + R + "/v2/" + repo + "/manifests/" + multi.arm64Manifest)).DELETE().build(),
        java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
    assertEquals(202, status);
    CliRun r = CliRun.run(store, "ls", R + "/" + repo);
    assertEquals(1, r.exitCode());
    assertEquals("imagetool: " + R + "/" + repo + ":latest: its index's linux/arm64 manifest " + multi.arm64Manifest
        + " is missing\n", r.err());
    assertEquals(0, CliRun.run(store, "history", "--platform", "linux/amd64", R + "/" + repo + ":latest").exitCode());
  }
}
