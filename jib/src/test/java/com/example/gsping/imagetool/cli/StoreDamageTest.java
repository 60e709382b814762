package com.example.gsping.imagetool.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.gsping.imagetool.fixtures.CliRun;
import com.example.gsping.imagetool.fixtures.LayerTar;
import com.example.gsping.imagetool.image.Digests;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.example.gsping.imagetool.fixtures.FixtureImages;
import com.example.gsping.imagetool.fixtures.MultiPlatformImages;
import com.example.gsping.imagetool.fixtures.StoreFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bit flipped in each kind of blob (manifest, config, layer, image index) and in index.json:
 * the damaged image is named by tag and digest in one line, the healthy ones stay visible,
 * loading the tarball again repairs it, and {@code verify} finds and prunes what is left. An
 * index.json that lost entries loses names only: prune keeps their images, reported as untagged.
 */
class StoreDamageTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static FixtureImages images;
  private static MultiPlatformImages multi;

  @TempDir Path store;

  @BeforeAll
  static void buildImages() throws Exception {
    images = FixtureImages.shared();
    multi = MultiPlatformImages.shared();
  }

  @BeforeEach
  void loadAll() {
    CliRun.ok(store, "load", images.latest.toString());
    CliRun.ok(store, "load", images.multistage.toString());
    CliRun.ok(store, "load", multi.archive.toString());
  }

  @Test
  void aManifestThatIsNoLongerJsonIsListedAsDamagedByTagAndDigestAndHidesNoOtherImage() throws Exception {
    String manifest = StoreFiles.manifestOf(store, "gsping-fixture:multistage");
    StoreFiles.flipBit(StoreFiles.blob(store, manifest), true);
    assertOnlyMultistageListedAsDamaged(manifest);
  }

  @Test
  void aDamagedConfigIsListedAsDamagedByTagAndDigestAndHidesNoOtherImage() throws Exception {
    String config = StoreFiles.manifest(store, "gsping-fixture:multistage").get("config").get("digest").asText();
    StoreFiles.flipBit(StoreFiles.blob(store, config), false);
    assertOnlyMultistageListedAsDamaged(config);
  }

  @Test
  void aDamagedImageIndexIsListedAsDamagedAndHistoryNamesItInOneLine() throws Exception {
    StoreFiles.flipBit(StoreFiles.blob(store, multi.indexDigest), false);
    CliRun ls = CliRun.run(store, "ls");
    assertEquals(1, ls.exitCode(), ls.err());
    assertTrue(ls.out().lines().anyMatch(l -> l.matches("gsping-multi +latest +damaged *")), ls.out());
    assertEquals(3, ls.out().lines().filter(l -> l.matches("gsping-fixture +\\S+ +[0-9a-f]{12} .*")).count(), ls.out());
    assertOneLineNaming(ls.err(), "gsping-multi:latest", multi.indexDigest);
    CliRun history = CliRun.run(store, "history", "--platform", "linux/arm64", "gsping-multi:latest");
    assertEquals(1, history.exitCode());
    assertOneLineNaming(history.err(), "gsping-multi:latest", multi.indexDigest);
  }

  @Test
  void loadingTheTarballAgainRepairsADamagedManifestAndLayer() throws Exception {
    String manifest = StoreFiles.manifestOf(store, "gsping-fixture:multistage");
    String layer = StoreFiles.manifest(store, "gsping-fixture:multistage").get("layers").get(0).get("digest").asText();
    StoreFiles.flipBit(StoreFiles.blob(store, manifest), true);
    StoreFiles.flipBit(StoreFiles.blob(store, layer), false);
    CliRun.ok(store, "load", images.multistage.toString());
    assertEquals(0, CliRun.run(store, "ls").exitCode());
    assertEquals(0, CliRun.run(store, "verify").exitCode(), CliRun.run(store, "verify").out());
  }

  @Test
  void loadingAnOciArchiveAgainRepairsADamagedLayerItWouldOtherwiseSkip() throws Exception {
    String layer = StoreFiles.manifest(store, "gsping-multi:latest").path("manifests").get(0).get("digest").asText();
    String amd64Layer = new com.fasterxml.jackson.databind.ObjectMapper().readTree(StoreFiles.blob(store, layer).toFile())
        .get("layers").get(0).get("digest").asText();
    StoreFiles.flipBit(StoreFiles.blob(store, amd64Layer), false);
    CliRun.ok(store, "load", multi.archive.toString());
    CliRun verify = CliRun.run(store, "verify");
    assertEquals(0, verify.exitCode(), verify.out());
  }

  @Test
  void verifyNamesADamagedLayerAndTheTagsThatNeedItAndPruneRemovesIt() throws Exception {
    String layer = StoreFiles.manifest(store, "gsping-fixture:latest").get("layers").get(0).get("digest").asText();
    StoreFiles.flipBit(StoreFiles.blob(store, layer), false);
    Path orphan = StoreFiles.blob(store, com.example.gsping.imagetool.image.Digests.sha256(new byte[] {1}));
    Files.write(orphan, new byte[] {1});
    byte[] index = Files.readAllBytes(store.resolve("index.json"));

    CliRun verify = CliRun.run(store, "verify");
    assertEquals(1, verify.exitCode());
    List<String> lines = verify.outLines();
    assertTrue(lines.contains("blob " + layer + " is damaged (content " + com.example.gsping.imagetool.image.Digests.sha256(
        Files.readAllBytes(StoreFiles.blob(store, layer))) + ")"), verify.out());
    assertTrue(lines.contains("gsping-fixture:latest: blob " + layer + " is damaged"), verify.out());
    assertTrue(lines.contains("gsping-fixture:v1.0: blob " + layer + " is damaged"), verify.out());
    assertTrue(lines.contains("blob sha256:" + orphan.getFileName() + " is unreferenced (1 bytes)"), verify.out());

    CliRun prune = CliRun.run(store, "verify", "--prune");
    assertEquals(1, prune.exitCode(), "latest still lacks its layer: " + prune.out());
    assertFalse(Files.exists(orphan));
    assertFalse(Files.exists(StoreFiles.blob(store, layer)));
    assertTrue(prune.out().contains("gsping-fixture:latest: blob " + layer + " is missing"), prune.out());
    assertEquals(new String(index), Files.readString(store.resolve("index.json")), "names are the user's to remove");

    CliRun.ok(store, "load", images.latest.toString());
    assertEquals(0, CliRun.run(store, "verify").exitCode());
  }

  @Test
  void verifyReportsAnIndexJsonThatIsNoLongerJsonInOneLine() throws Exception {
    StoreFiles.flipBit(store.resolve("index.json"), true);
    CliRun verify = CliRun.run(store, "verify");
    assertEquals(1, verify.exitCode());
    assertEquals(1, verify.err().lines().count(), verify.err());
    assertTrue(verify.err().startsWith("imagetool: image store " + store + " has a corrupt index.json"), verify.err());
  }

  @Test
  void pruneOnAnIndexJsonThatLostItsEntriesDeletesNoBlobAndNamesEachImageUntagged() throws Exception {
    Set<String> manifests = Set.of(StoreFiles.manifestOf(store, "gsping-fixture:latest"),
        StoreFiles.manifestOf(store, "gsping-fixture:multistage"), StoreFiles.manifestOf(store, "gsping-multi:latest"));
    Set<String> blobs = StoreFiles.blobs(store);
    Files.writeString(store.resolve("index.json"), "{\"schemaVersion\":2}");

    CliRun prune = CliRun.run(store, "verify", "--prune");
    assertEquals(1, prune.exitCode(), prune.out());
    assertEquals(blobs, StoreFiles.blobs(store), prune.out());
    assertEquals(manifests.stream().map(d -> "<none>@" + d + ": untagged: not in index.json").collect(Collectors.toSet()),
        prune.outLines().stream().filter(l -> l.contains("untagged")).collect(Collectors.toSet()));
    CliRun.ok(store, "load", images.multistage.toString());
    assertEquals(blobs, StoreFiles.blobs(store), "nor does a write's sweep");
  }

  @Test
  void pruneRemovesALayerNothingReferencesAndKeepsTheImageIndexJsonLostTheEntryOfWhichLsAListsAsNone() throws Exception {
    String multistage = StoreFiles.manifestOf(store, "gsping-fixture:multistage");
    String imageId = StoreFiles.manifest(store, "gsping-fixture:multistage").get("config").get("digest").asText().substring(7, 19);
    Set<String> blobs = StoreFiles.blobs(store);
    ObjectNode index = (ObjectNode) JSON.readTree(store.resolve("index.json").toFile());
    ((ArrayNode) index.get("manifests")).removeIf(e -> e.get("digest").asText().equals(multistage));
    JSON.writeValue(store.resolve("index.json").toFile(), index);
    byte[] layer = new LayerTar().file("orphan", LayerTar.bytes(10_000, 7)).build();
    String orphan = Digests.sha256(layer);
    Files.write(StoreFiles.blob(store, orphan), layer);

    CliRun prune = CliRun.run(store, "verify", "--prune");
    assertEquals(1, prune.exitCode(), prune.out());
    assertTrue(prune.outLines().contains("blob " + orphan + " is unreferenced (" + layer.length + " bytes)"), prune.out());
    assertEquals(blobs, StoreFiles.blobs(store), prune.out());
    assertEquals(List.of("<none>@" + multistage + ": untagged: not in index.json"),
        prune.outLines().stream().filter(l -> l.contains("untagged")).distinct().toList());
    assertFalse(CliRun.ok(store, "ls").contains(imageId));
    assertTrue(CliRun.ok(store, "ls", "-a").lines().anyMatch(l -> l.matches("<none> +<none> +" + imageId + " .*")), "as docker image ls -a");

    CliRun.ok(store, "load", images.multistage.toString());
    assertEquals(0, CliRun.run(store, "verify").exitCode(), "loading the tarball again names it");
  }

  @Test
  void untagNextToADamagedManifestSucceedsAndKeepsTheDataTheDamagedImageMayNeed() throws Exception {
    String manifest = StoreFiles.manifestOf(store, "gsping-fixture:multistage");
    StoreFiles.flipBit(StoreFiles.blob(store, manifest), true);
    CliRun untag = CliRun.run(store, "untag", "gsping-fixture:v1.0");
    assertEquals(0, untag.exitCode(), untag.err());
    assertEquals("Untagged: gsping-fixture:v1.0\n", untag.out());

    long blobs = StoreFiles.blobs(store).size();
    CliRun last = CliRun.run(store, "untag", "gsping-fixture:latest");
    assertEquals(0, last.exitCode(), last.err());
    assertEquals("Untagged: gsping-fixture:latest\n", last.out(), "nothing deleted while multistage's layers are unknown");
    assertOneLineNaming(last.err(), "gsping-fixture:multistage", manifest);
    assertEquals(blobs, StoreFiles.blobs(store).size());

    CliRun.ok(store, "load", images.multistage.toString()); // repaired: the next write sweeps latest's data
    assertEquals(StoreFiles.reachableBlobs(store), StoreFiles.blobs(store));
  }

  @Test
  void readsThatFindDamageLeaveTheSizeCacheAsItWas() throws Exception {
    try (java.util.stream.Stream<Path> cached = Files.list(store.resolve(".imagetool/layer-sizes"))) {
      for (Path p : cached.toList()) {
        Files.delete(p); // so ls and history measure the layers again
      }
    }
    String layer = StoreFiles.manifest(store, "gsping-fixture:latest").get("layers").get(0).get("digest").asText();
    StoreFiles.flipBit(StoreFiles.blob(store, layer), false);
    java.util.Map<String, String> before = StoreFiles.snapshot(store);
    assertEquals(1, CliRun.run(store, "ls").exitCode());
    assertEquals(1, CliRun.run(store, "history", "gsping-fixture:latest").exitCode());
    assertEquals(before, StoreFiles.snapshot(store));
    CliRun.ok(store, "history", "gsping-fixture:multistage");
    assertTrue(StoreFiles.snapshot(store).size() > before.size(), "a read that succeeds keeps what it measured");
  }

  private void assertOnlyMultistageListedAsDamaged(String digest) {
    CliRun ls = CliRun.run(store, "ls");
    assertEquals(1, ls.exitCode(), ls.err());
    List<String> rows = ls.outLines();
    assertTrue(rows.stream().anyMatch(l -> l.matches("gsping-fixture +latest +[0-9a-f]{12} .*")), ls.out());
    assertTrue(rows.stream().anyMatch(l -> l.matches("gsping-fixture +v1\\.0 +[0-9a-f]{12} .*")), ls.out());
    assertTrue(rows.stream().anyMatch(l -> l.matches("gsping-multi +latest +[0-9a-f]{12} .*")), ls.out());
    assertTrue(rows.stream().anyMatch(l -> l.matches("gsping-fixture +multistage +damaged *")), ls.out());
    assertOneLineNaming(ls.err(), "gsping-fixture:multistage", digest);
    CliRun history = CliRun.run(store, "history", "gsping-fixture:multistage");
    assertEquals(1, history.exitCode());
    assertOneLineNaming(history.err(), "gsping-fixture:multistage", digest);
  }

  private static void assertOneLineNaming(String err, String name, String digest) {
    assertEquals(1, err.lines().count(), err);
    assertTrue(err.startsWith("imagetool: " + name + ": ") && err.contains(digest), err);
  }
}
