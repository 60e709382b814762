package com.example.gsping.imagetool.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.example.gsping.imagetool.fixtures.CliRun;
import com.fasterxml.jackson.databind.JsonNode;
import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The product's own images, as the service's build writes them (-Dimages.dir, default
 * ../target/jib): docker-gs-ping-latest.tar (tags latest and v1.0, Debian + OpenJDK 25 base)
 * and docker-gs-ping-multistage.tar (scratch + jlinked runtime). Missing tarballs fail the
 * test: build them first.
 */
class ProductImagesIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Not "jvm arg files": multistage's class path starts with its class archive's jar (jib/multistage/class-archive.sh). */
  private static final Set<String> APPLICATION_LAYERS = Set.of("dependencies", "resources", "classes");

  @TempDir static Path store;
  @TempDir static Path untagStore;
  @TempDir Path rebuild;

  @BeforeAll
  static void loadProductImages() {
    Path dir = Path.of(System.getProperty("images.dir", "../target/jib")).toAbsolutePath().normalize();
    Path latest = dir.resolve("docker-gs-ping-latest.tar");
    Path multistage = dir.resolve("docker-gs-ping-multistage.tar");
    for (Path tar : List.of(latest, multistage)) {
      if (!Files.isRegularFile(tar)) {
        fail("product image tarball " + tar + " is missing: build the service's images first (root project's Jib"
            + " buildTar, see README), or point -Dimages.dir=DIR at a directory holding docker-gs-ping-latest.tar and"
            + " docker-gs-ping-multistage.tar");
      }
    }
    assertEquals(List.of("Loaded image: docker-gs-ping:latest", "Loaded image: docker-gs-ping:v1.0"),
        CliRun.ok(store, "load", latest.toString()).lines().sorted().toList());
    assertEquals("Loaded image: docker-gs-ping:multistage\n", CliRun.ok(store, "load", multistage.toString()));
  }

  @Test
  void lsShowsLatestAndV1WithOneImageId() throws Exception {
    JsonNode rows = JSON.readTree(CliRun.ok(store, "ls", "--format", "json", "docker-gs-ping"));
    assertEquals(id(rows, "latest"), id(rows, "v1.0"));
    assertFalse(id(rows, "latest").equals(id(rows, "multistage")));
  }

  @Test
  void untagV1KeepsLatestAndItsImageId() throws Exception {
    Path copy = untagStore;
    CliRun.ok(copy, "load", Path.of(System.getProperty("images.dir", "../target/jib"), "docker-gs-ping-latest.tar").toString());
    String before = id(JSON.readTree(CliRun.ok(copy, "ls", "--format", "json", "docker-gs-ping")), "latest");
    assertEquals("Untagged: docker-gs-ping:v1.0\n", CliRun.ok(copy, "untag", "docker-gs-ping:v1.0"));
    JsonNode after = JSON.readTree(CliRun.ok(copy, "ls", "--format", "json", "docker-gs-ping"));
    assertEquals(1, after.size());
    assertEquals(before, id(after, "latest"));
  }

  @Test
  void compareLatestMultistageSharesTheApplicationLayers() throws Exception {
    JsonNode c = JSON.readTree(CliRun.ok(store, "compare", "--format", "json", "docker-gs-ping:latest", "docker-gs-ping:multistage"));
    Set<String> shared = contents(c.get("shared"));
    Set<String> latestOnly = contents(c.get("onlyInA"));
    assertTrue(shared.containsAll(Set.of("dependencies", "classes")), "shared: " + shared + ", only in latest: " + latestOnly);
    for (String layer : APPLICATION_LAYERS) {
      assertFalse(latestOnly.contains(layer), layer + " layer differs between latest and multistage; shared: " + shared);
    }
    assertTrue(c.get("a").get("sharedSize").asLong() > 0);
  }

  @Test
  void diffLatestMultistageShowsTheRuntimesAndOnlyTheJvmArgFilesAndClassArchiveOfTheApp() {
    CliRun r = CliRun.run(store, "diff", "docker-gs-ping:latest", "docker-gs-ping:multistage");
    assertEquals(1, r.exitCode(), r.err());
    List<String> app = r.outLines().stream().filter(l -> l.matches("[ACD] /app/.*")).toList();
    assertTrue(app.contains("A /app/cds/classpath.jar"), app.toString());
    assertTrue(app.stream().anyMatch(l -> l.startsWith("C /app/jib-classpath-file: content, size ")), app.toString());
    assertTrue(app.stream().allMatch(l -> l.startsWith("A /app/cds") || l.startsWith("C /app/jib-classpath-file:")), app.toString());
    assertTrue(r.outLines().stream().anyMatch(l -> l.startsWith("A /opt/java/")), "multistage's jlinked runtime");

    CliRun same = CliRun.run(store, "diff", "docker-gs-ping:latest", "docker-gs-ping:v1.0");
    assertEquals(0, same.exitCode(), same.err() + same.out());
    assertEquals("", same.out());
  }

  @Test
  void diffOfLatestAndARebuildWithOneClassChangedIsThatOneClass() throws Exception {
    JsonNode history = JSON.readTree(CliRun.ok(store, "history", "--files", "--format", "json", "docker-gs-ping:latest"));
    JsonNode classes = StreamSupport.stream(history.get("layers").spliterator(), false)
        .filter(l -> l.get("content").asText().equals("classes")).findFirst().orElseThrow();
    JsonNode file = StreamSupport.stream(classes.get("files").spliterator(), false)
        .filter(f -> f.get("path").asText().endsWith(".class")).findFirst().orElseThrow();
    String path = file.get("path").asText();
    Path changed = rebuild.resolve("Changed.class");
    Files.write(changed, new byte[] {(byte) 0xca, (byte) 0xfe, (byte) 0xba, (byte) 0xbe, 0, 0, 0, 69});
    Path latest = Path.of(System.getProperty("images.dir", "../target/jib"), "docker-gs-ping-latest.tar");
    // Jib on the first build, with the class put back changed: the rebuild a one-class edit makes
    Jib.from(TarImage.at(latest).named("docker-gs-ping:latest"))
        .addFileEntriesLayer(FileEntriesLayer.builder().setName("classes").addEntry(changed, AbsoluteUnixPath.get(path)).build())
        .containerize(Containerizer.to(TarImage.at(rebuild.resolve("rebuilt.tar")).named("docker-gs-ping:rebuilt"))
            .setBaseImageLayersCache(rebuild.resolve("cache/base")).setApplicationLayersCache(rebuild.resolve("cache/app")));
    CliRun r = CliRun.run(store, "diff", "docker-gs-ping:latest", rebuild.resolve("rebuilt.tar").toString());
    assertEquals(1, r.exitCode(), r.err());
    assertEquals(List.of("C " + path + ": content, size " + file.get("size").asLong() + " -> 8"), r.outLines());
  }

  @Test
  void theThreeImagesWasteNoSpace() throws Exception {
    for (String tag : List.of("latest", "v1.0", "multistage")) {
      JsonNode report = JSON.readTree(CliRun.ok(store, "history", "--files", "--format", "json", "docker-gs-ping:" + tag));
      assertEquals(0, report.get("wastedBytes").asLong(), tag);
      assertEquals(1.0, report.get("efficiency").asDouble(), tag);
      assertEquals(0, CliRun.run(store, "history", "--files", "--fail-over", "0", "docker-gs-ping:" + tag).exitCode(), tag);
    }
  }

  private static Set<String> contents(JsonNode layers) {
    return StreamSupport.stream(layers.spliterator(), false).map(l -> l.get("content").asText()).collect(Collectors.toSet());
  }

  private static String id(JsonNode rows, String tag) {
    return StreamSupport.stream(rows.spliterator(), false).filter(r -> r.get("tag").asText().equals(tag))
        .map(r -> r.get("id").asText()).findFirst().orElseThrow(() -> new AssertionError("no " + tag + " in " + rows));
  }
}
