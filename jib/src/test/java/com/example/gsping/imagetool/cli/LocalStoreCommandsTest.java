package com.example.gsping.imagetool.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.gsping.imagetool.fixtures.CliRun;
import com.example.gsping.imagetool.fixtures.FixtureImages;
import com.example.gsping.imagetool.fixtures.StoreFiles;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The docker-like commands against the local OCI store, on images built by jib-core. */
class LocalStoreCommandsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static FixtureImages images;

  @TempDir Path store;

  @BeforeAll
  static void buildImages() throws Exception {
    images = FixtureImages.shared();
  }

  @BeforeEach
  void loadBoth() {
    assertEquals(List.of("Loaded image: gsping-fixture:latest", "Loaded image: gsping-fixture:v1.0"),
        CliRun.ok(store, "load", images.latest.toString()).lines().toList());
    assertEquals(List.of("Loaded image: gsping-fixture:multistage"),
        CliRun.ok(store, "load", images.multistage.toString()).lines().toList());
  }

  @Test
  void storeIsAnOciImageLayoutWithFullNamesInRefNameAnnotations() throws Exception {
    assertEquals("{\"imageLayoutVersion\":\"1.0.0\"}", Files.readString(store.resolve("oci-layout")));
    JsonNode index = JSON.readTree(store.resolve("index.json").toFile());
    Set<String> names = Stream.of(index.get("manifests").spliterator()).flatMap(s -> java.util.stream.StreamSupport.stream(s, false))
        .map(m -> m.get("annotations").get("org.opencontainers.image.ref.name").asText()).collect(Collectors.toSet());
    assertEquals(Set.of("gsping-fixture:latest", "gsping-fixture:v1.0", "gsping-fixture:multistage"), names);
    for (JsonNode m : index.get("manifests")) {
      assertTrue(Files.isRegularFile(store.resolve("blobs/sha256/" + m.get("digest").asText().substring(7))));
    }
  }

  @Test
  void lsShowsBothTagsOfTheImageWithOneImageIdAndDockerColumns() {
    List<String> lines = CliRun.ok(store, "ls", "gsping-fixture").lines().toList();
    assertTrue(lines.get(0).matches("REPOSITORY +TAG +IMAGE ID +CREATED +SIZE"), lines.get(0));
    String latest = row(lines, "latest");
    String v1 = row(lines, "v1.0");
    assertEquals(latest.split(" +")[2], v1.split(" +")[2], "same IMAGE ID");
    assertTrue(latest.split(" +")[2].matches("[0-9a-f]{12}"));
    assertTrue(latest.contains(" years ago "), "Jib's epoch timestamp: " + latest);
    assertTrue(latest.endsWith("89.5kB"), latest);
  }

  @Test
  void tagAddsANameWithoutCopyingAnyBlob() throws Exception {
    long blobsBefore = countBlobs();
    CliRun.ok(store, "tag", "gsping-fixture:latest", "gsping-fixture:v2");
    assertEquals(blobsBefore, countBlobs());
    String ls = CliRun.ok(store, "ls", "gsping-fixture:v2");
    assertEquals(row(CliRun.ok(store, "ls").lines().toList(), "latest").split(" +")[2], row(ls.lines().toList(), "v2").split(" +")[2]);
  }

  @Test
  void untagRemovesOnlyThatTagAndKeepsTheImageForTheOtherTag() throws Exception {
    long blobsBefore = countBlobs();
    CliRun r = CliRun.run(store, "untag", "gsping-fixture:v1.0");
    assertEquals(0, r.exitCode(), r.err());
    assertEquals("Untagged: gsping-fixture:v1.0\n", r.out());
    assertEquals(blobsBefore, countBlobs(), "no data deleted while latest still names the image");
    List<String> lines = CliRun.ok(store, "ls").lines().toList();
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("gsping-fixture ") && l.contains(" latest ")));
    assertFalse(lines.stream().anyMatch(l -> l.contains(" v1.0 ")));
  }

  @Test
  void untaggingTheLastTagDeletesOnlyDataNoOtherImageUses() throws Exception {
    CliRun.ok(store, "rm", "gsping-fixture:v1.0");
    CliRun r = CliRun.run(store, "rm", "gsping-fixture:latest");
    assertEquals(0, r.exitCode(), r.err());
    List<String> lines = r.outLines();
    assertEquals("Untagged: gsping-fixture:latest", lines.get(0));
    // The image ID, then its two base layers; the four application layers stay for multistage.
    assertEquals(3, lines.stream().filter(l -> l.matches("Deleted: sha256:[0-9a-f]{64}")).count(), r.out());
    assertTrue(lines.get(1).startsWith("Deleted: sha256:"));
    assertEquals(StoreFiles.reachableBlobs(store), StoreFiles.blobs(store), "its manifest too: no untagged image is left");
    String history = CliRun.ok(store, "history", "gsping-fixture:multistage");
    assertTrue(history.contains("classes"), history);
    CliRun.ok(store, "compare", "gsping-fixture:multistage", "gsping-fixture:multistage");
  }

  @Test
  void historyListsLayersNewestFirstWithJibLayerNamesAndBothSizes() {
    List<String> lines = CliRun.ok(store, "history", "gsping-fixture:latest").lines().toList();
    assertTrue(lines.get(0).matches("LAYER +CONTENT +SIZE +COMPRESSED +CREATED BY"), lines.get(0));
    List<String> contents = lines.stream().skip(1).map(l -> l.split(" {2,}")[1]).toList();
    assertEquals(List.of("jvm arg files", "classes", "resources", "dependencies", "base", "base"), contents);
  }

  @Test
  void historyJsonCarriesDigestsAndByteSizes() throws Exception {
    JsonNode h = JSON.readTree(CliRun.ok(store, "history", "--format", "json", "gsping-fixture:latest"));
    JsonNode top = h.get("layers").get(0);
    assertEquals("jvm arg files", top.get("content").asText());
    assertTrue(top.get("digest").asText().startsWith("sha256:"));
    assertTrue(top.get("compressedSize").asLong() > 0);
    assertEquals(71, top.get("size").asLong());
  }

  @Test
  void compareShowsJibApplicationLayersSharedBetweenLatestAndMultistage() throws Exception {
    JsonNode c = JSON.readTree(CliRun.ok(store, "compare", "--format", "json", "gsping-fixture:latest", "gsping-fixture:multistage"));
    Set<String> shared = java.util.stream.StreamSupport.stream(c.get("shared").spliterator(), false)
        .map(l -> l.get("content").asText()).collect(Collectors.toSet());
    assertEquals(Set.of("dependencies", "resources", "classes", "jvm arg files"), shared);
    assertEquals(2, c.get("onlyInA").size());
    assertEquals("extra files", c.get("onlyInB").get(0).get("content").asText());
    assertEquals(c.get("a").get("sharedSize").asLong(), c.get("b").get("sharedSize").asLong());
    assertTrue(c.get("b").get("sharedPercent").asDouble() > c.get("a").get("sharedPercent").asDouble());

    String table = CliRun.ok(store, "compare", "gsping-fixture:latest", "gsping-fixture:multistage");
    assertTrue(table.startsWith("SHARED by both images: 4 layers"), table);
    assertTrue(table.contains("ONLY IN gsping-fixture:multistage: 1 layer"), table);
  }

  @Test
  void lsJsonListsEveryNameWithByteSize() throws Exception {
    JsonNode rows = JSON.readTree(CliRun.ok(store, "ls", "--format", "json"));
    assertEquals(3, rows.size());
    for (JsonNode row : rows) {
      assertTrue(row.get("imageId").asText().startsWith("sha256:" + row.get("id").asText()));
      assertTrue(row.get("size").asLong() > 0);
    }
  }

  @Test
  void dockerSaveFormatTarballWithPlainLayersLoadsToo() {
    assertEquals("Loaded image: gsping-fixture-base:1\n", CliRun.ok(store, "load", images.base.toString()));
    assertTrue(CliRun.ok(store, "ls", "gsping-fixture-base").contains("54.1kB"));
  }

  @Test
  void gzippedTarballLoadsLikeDockerLoadAndReloadingChangesNothing(@TempDir Path work) throws Exception {
    Path gz = work.resolve("latest.tar.gz");
    try (java.io.OutputStream out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gz))) {
      Files.copy(images.latest, out);
    }
    byte[] index = Files.readAllBytes(store.resolve("index.json"));
    long blobs = countBlobs();
    assertEquals("Loaded image: gsping-fixture:latest\nLoaded image: gsping-fixture:v1.0\n", CliRun.ok(store, "load", "-i", gz.toString()));
    assertEquals(blobs, countBlobs());
    org.junit.jupiter.api.Assertions.assertArrayEquals(index, Files.readAllBytes(store.resolve("index.json")));
  }

  @Test
  void reloadingAnImageUnderAnExistingNameLeavesTheOldOneDanglingLikeDocker() {
    CliRun.ok(store, "tag", "gsping-fixture:multistage", "gsping-fixture:moving");
    CliRun.ok(store, "rm", "gsping-fixture:multistage");
    CliRun.ok(store, "tag", "gsping-fixture:latest", "gsping-fixture:moving");
    List<String> lines = CliRun.ok(store, "ls").lines().toList();
    String dangling = lines.stream().filter(l -> l.startsWith("<none>")).findFirst().orElseThrow(() -> new AssertionError(lines));
    CliRun r = CliRun.run(store, "rm", dangling.split(" +")[2]);
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().startsWith("Deleted: sha256:" + dangling.split(" +")[2]), r.out());
  }

  private long countBlobs() throws Exception {
    try (Stream<Path> s = Files.list(store.resolve("blobs/sha256"))) {
      return s.count();
    }
  }

  private static String row(List<String> lines, String tag) {
    return lines.stream().filter(l -> l.split(" +").length > 1 && l.split(" +")[1].equals(tag)).findFirst()
        .orElseThrow(() -> new AssertionError("no row for tag " + tag + " in " + lines));
  }
}
