package com.example.gsping.imagetool.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.gsping.imagetool.fixtures.CliRun;
import com.example.gsping.imagetool.fixtures.FixtureImages;
import com.example.gsping.imagetool.fixtures.MultiPlatformImages;
import com.example.gsping.imagetool.image.TargetPlatform;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A two-platform image (OCI index, amd64 + arm64 sharing four application layers) in the local store. */
class MultiPlatformStoreTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static MultiPlatformImages multi;

  @TempDir Path store;

  @BeforeAll
  static void build() throws Exception {
    multi = MultiPlatformImages.shared();
  }

  @BeforeEach
  void load() {
    assertEquals(List.of("Loaded image: gsping-multi:latest"), CliRun.ok(store, "load", multi.archive.toString()).lines().toList());
  }

  @Test
  void loadKeepsTheIndexWholeWithEveryChildAndBlob() throws Exception {
    JsonNode entry = JSON.readTree(store.resolve("index.json").toFile()).get("manifests").get(0);
    assertEquals(multi.indexDigest, entry.get("digest").asText());
    assertEquals(MultiPlatformImages.OCI_INDEX, entry.get("mediaType").asText());
    byte[] index = Files.readAllBytes(blob(multi.indexDigest));
    assertEquals(multi.indexDigest, MultiPlatformImages.sha256(index), "the index's bytes are kept");
    for (String child : List.of(multi.amd64Manifest, multi.arm64Manifest)) {
      JsonNode manifest = JSON.readTree(blob(child).toFile());
      assertTrue(Files.isRegularFile(blob(manifest.get("config").get("digest").asText())));
      manifest.get("layers").forEach(l -> assertTrue(Files.isRegularFile(blob(l.get("digest").asText())), l.toString()));
    }
  }

  @Test
  void lsShowsTheIndexThenARowPerPlatform() {
    List<String> lines = CliRun.ok(store, "ls").lines().toList();
    assertEquals(4, lines.size(), lines.toString());
    assertTrue(lines.get(1).matches("gsping-multi +latest +" + multi.indexDigest.substring(7, 19) + " +56 years ago +\\S+"), lines.get(1));
    assertTrue(lines.get(2).matches(" +\u251c\u2500 linux/amd64 +[0-9a-f]{12} +56 years ago +\\S+"), lines.get(2));
    assertTrue(lines.get(3).matches(" +\u2514\u2500 linux/arm64 +[0-9a-f]{12} +56 years ago +\\S+"), lines.get(3));
  }

  @Test
  void lsJsonGivesEachPlatformsManifestAndTheIndexTheSizeOfItsDistinctLayers() throws Exception {
    JsonNode row = JSON.readTree(CliRun.ok(store, "ls", "--format", "json", "gsping-multi")).get(0);
    assertEquals(multi.indexDigest, row.get("manifestDigest").asText());
    assertEquals(multi.indexDigest, row.get("imageId").asText());
    JsonNode platforms = row.get("platforms");
    assertEquals("linux/amd64", platforms.get(0).get("platform").asText());
    assertEquals(multi.amd64Manifest, platforms.get(0).get("manifestDigest").asText());
    assertEquals("linux/arm64", platforms.get(1).get("platform").asText());
    assertEquals(multi.arm64Manifest, platforms.get(1).get("manifestDigest").asText());
    long amd64 = platforms.get(0).get("size").asLong();
    long arm64 = platforms.get(1).get("size").asLong();
    long amd64Runtime = MultiPlatformImages.RUNTIME_BYTES.get("amd64");
    long arm64Runtime = MultiPlatformImages.RUNTIME_BYTES.get("arm64");
    // each platform's own layer; the four application layers count once
    assertEquals(amd64 + arm64Runtime, row.get("size").asLong());
    assertEquals(amd64 - amd64Runtime, arm64 - arm64Runtime);
  }

  @Test
  void lsWithPlatformListsThatImageAloneAsDockerDoesAfterPullWithPlatform() throws Exception {
    JsonNode all = JSON.readTree(CliRun.ok(store, "ls", "--format", "json")).get(0).get("platforms").get(1);
    JsonNode arm = JSON.readTree(CliRun.ok(store, "ls", "--format", "json", "--platform", "linux/arm64"));
    assertEquals(1, arm.size());
    assertEquals("linux/arm64", arm.get(0).get("platform").asText());
    assertEquals(all.get("imageId").asText(), arm.get(0).get("imageId").asText());
    assertFalse(arm.get(0).has("platforms"));
    CliRun.ok(store, "load", FixtureImages.shared().multistage.toString());
    assertEquals(Set.of("gsping-multi"), names(CliRun.ok(store, "ls", "--format", "json", "--platform", "linux/arm64")),
        "the amd64-only image is left out");
    assertEquals(Set.of("gsping-multi", "gsping-fixture"), names(CliRun.ok(store, "ls", "--format", "json", "--platform", "linux/amd64")));
  }

  @Test
  void historyTakesThePlatformAskedForElseThisMachinesAndSaysSo() throws Exception {
    JsonNode arm = JSON.readTree(CliRun.ok(store, "history", "--format", "json", "--platform", "linux/arm64", "gsping-multi:latest"));
    assertEquals("linux/arm64", arm.get("platform").asText());
    CliRun plain = CliRun.run(store, "history", "--format", "json", "gsping-multi:latest");
    assertEquals(0, plain.exitCode(), plain.err());
    String host = TargetPlatform.host().toString();
    assertEquals(host, JSON.readTree(plain.out()).get("platform").asText());
    assertEquals("imagetool: gsping-multi:latest is a multi-platform image; showing " + host
        + ", this machine's platform (choose with --platform)\n", plain.err());
    assertTrue(!arm.get("imageId").asText().equals(JSON.readTree(plain.out()).get("imageId").asText()));
  }

  @Test
  void diffOfTheTwoPlatformsOfOneTagOrOneTarballIsTheirRuntime() {
    List<String> expected = List.of("C /opt/jre/bin/java: content, size 25000 -> 27000");
    CliRun r = CliRun.run(store, "diff", "gsping-multi:latest", "--platform", "linux/amd64", "--platform", "linux/arm64");
    assertEquals(1, r.exitCode(), r.err());
    assertEquals(expected, r.outLines());
    CliRun tarball = CliRun.run(store, "diff", multi.archive.toString(), "--platform", "linux/amd64", "--platform", "linux/arm64");
    assertEquals(expected, tarball.outLines(), tarball.err());
  }

  @Test
  void compareOfTheTwoPlatformsOfOneTagShowsTheSharedApplicationLayers() throws Exception {
    JsonNode r = JSON.readTree(CliRun.ok(store, "compare", "--format", "json", "gsping-multi:latest",
        "--platform", "linux/amd64", "--platform", "linux/arm64"));
    assertEquals(List.of("jvm arg files", "classes", "resources", "dependencies"), contents(r.get("shared")));
    assertEquals(List.of("extra files"), contents(r.get("onlyInA")));
    assertEquals(List.of("extra files"), contents(r.get("onlyInB")));
    assertEquals("gsping-multi:latest (linux/amd64)", r.get("a").get("image").asText());
    assertEquals("linux/arm64", r.get("b").get("platform").asText());
    String interleaved = CliRun.ok(store, "compare", "gsping-multi:latest", "--platform", "linux/amd64",
        "gsping-multi:latest", "--platform", "linux/arm64");
    assertEquals(CliRun.ok(store, "compare", "gsping-multi:latest", "--platform", "linux/amd64", "--platform", "linux/arm64"),
        interleaved);
    assertTrue(interleaved.startsWith("SHARED by both images: 4 layers"), interleaved);
    assertTrue(interleaved.contains("ONLY IN gsping-multi:latest (linux/arm64): 1 layer"), interleaved);
  }

  @Test
  void compareTemplatePrintsTheCompressedBytesOfTheSecondPlatformsOwnLayersAsItsManifestGivesThem() throws Exception {
    Set<String> amd64 = new HashSet<>();
    JSON.readTree(blob(multi.amd64Manifest).toFile()).get("layers").forEach(l -> amd64.add(l.get("digest").asText()));
    long own = 0;
    for (JsonNode l : JSON.readTree(blob(multi.arm64Manifest).toFile()).get("layers")) {
      own += amd64.contains(l.get("digest").asText()) ? 0 : l.get("size").asLong();
    }
    assertTrue(own > 0);
    assertEquals(own + " linux/arm64\n", CliRun.ok(store, "compare", "--format", "{{.b.ownCompressedSize}} {{.b.platform}}",
        "gsping-multi:latest", "--platform", "linux/amd64", "--platform", "linux/arm64"));
  }

  @Test
  void tagAndUntagOfAnIndexMoveOnlyTheName() throws Exception {
    Set<String> blobs = blobNames();
    CliRun.ok(store, "tag", "gsping-multi:latest", "gsping-multi:v2");
    assertEquals(blobs, blobNames());
    assertEquals(List.of("Untagged: gsping-multi:latest"), CliRun.ok(store, "untag", "gsping-multi:latest").lines().toList());
    assertEquals(blobs, blobNames(), "no child, config or layer goes while v2 names the index");
    assertTrue(CliRun.ok(store, "ls").contains("\u2514\u2500 linux/arm64"));
  }

  @Test
  void untaggingTheLastNameOfAnIndexKeepsWhatAnotherNameStillReaches() throws Exception {
    CliRun.ok(store, "tag", "gsping-multi@" + multi.arm64Manifest, "arm-only:1");
    List<String> out = CliRun.ok(store, "untag", "gsping-multi:latest").lines().toList();
    assertEquals("Untagged: gsping-multi:latest", out.get(0));
    assertEquals(3, out.size(), "the amd64 config and its own layer: " + out);
    assertFalse(Files.exists(blob(multi.indexDigest)));
    assertFalse(Files.exists(blob(multi.amd64Manifest)));
    assertTrue(Files.exists(blob(multi.arm64Manifest)));
    assertTrue(CliRun.ok(store, "history", "arm-only:1").contains("dependencies"));
  }

  @Test
  void sweepingAfterAnotherImageIsRemovedKeepsEveryChild() throws Exception {
    CliRun.ok(store, "load", FixtureImages.shared().multistage.toString());
    Set<String> before = blobNames();
    CliRun.ok(store, "untag", "gsping-fixture:multistage");
    Set<String> after = blobNames();
    assertTrue(before.containsAll(after) && after.contains(multi.arm64Manifest.substring(7))
        && after.contains(multi.amd64Manifest.substring(7)) && after.contains(multi.indexDigest.substring(7)), after.toString());
    assertEquals("", CliRun.run(store, "ls", "--platform", "linux/arm64", "gsping-multi:latest").err());
  }

  @Test
  void untagByTheIndexsImageIdAsLsShowsIt() throws Exception {
    assertEquals("Untagged: gsping-multi:latest", CliRun.ok(store, "untag", multi.indexDigest.substring(7, 19)).lines().findFirst().orElse(""));
    assertEquals(List.of(), blobNames().stream().toList());
  }

  @Test
  void badPlatformsFailInOneLineAndChangeNothing() throws Exception {
    CliRun.ok(store, "load", FixtureImages.shared().multistage.toString());
    byte[] index = Files.readAllBytes(store.resolve("index.json"));
    List<CliRun> runs = new ArrayList<>();
    CliRun unknown = CliRun.run(store, "ls", "--platform", "linux/amd65");
    assertEquals(2, unknown.exitCode());
    assertTrue(unknown.err().startsWith("imagetool: Invalid value for option '--platform': unknown platform 'linux/amd65':"
        + " write OS/ARCH[/VARIANT], e.g. linux/amd64 or linux/arm64\n"), unknown.err());
    CliRun missing = CliRun.run(store, "history", "--platform", "linux/s390x", "gsping-multi:latest");
    assertEquals("imagetool: gsping-multi:latest has no linux/s390x image; its index has linux/amd64, linux/arm64\n", missing.err());
    runs.add(missing);
    runs.add(CliRun.run(store, "ls", "--platform", "linux/s390x", "gsping-multi:latest"));
    runs.add(CliRun.run(store, "compare", "gsping-multi:latest", "--platform", "linux/arm64"));
    runs.add(CliRun.run(store, "compare", "gsping-multi:latest", "gsping-multi:latest", "--platform", "linux/arm64",
        "--platform", "linux/amd64", "--platform", "linux/arm64"));
    runs.add(CliRun.run(store, "history", "--platform", "linux/arm64", "gsping-fixture:multistage"));
    for (CliRun r : runs) {
      assertTrue(r.exitCode() == 1 || r.exitCode() == 2, r.toString());
      assertTrue(r.err().startsWith("imagetool: ") && !r.err().contains("Exception"), r.err());
      assertEquals("", r.out());
    }
    assertEquals("imagetool: gsping-fixture:multistage is a linux/amd64 image, not linux/arm64\n", runs.get(4).err());
    assertEquals(new String(index, java.nio.charset.StandardCharsets.UTF_8), Files.readString(store.resolve("index.json")));
  }

  @Test
  void aMissingChildIsNamedInOneLine() throws Exception {
    Files.delete(blob(multi.arm64Manifest));
    CliRun r = CliRun.run(store, "ls", "gsping-multi");
    assertEquals(1, r.exitCode());
    assertEquals("imagetool: gsping-multi:latest: its index's linux/arm64 manifest " + multi.arm64Manifest + " is missing\n", r.err());
    assertEquals(0, CliRun.run(store, "history", "--platform", "linux/amd64", "gsping-multi:latest").exitCode());
  }

  private Path blob(String digest) {
    return store.resolve("blobs/sha256/" + digest.substring(7));
  }

  private Set<String> blobNames() throws Exception {
    try (Stream<Path> files = Files.list(store.resolve("blobs/sha256"))) {
      return files.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
    }
  }

  private static Set<String> names(String json) throws Exception {
    Set<String> out = new HashSet<>();
    JSON.readTree(json).forEach(r -> out.add(r.get("repository").asText()));
    return out;
  }

  private static List<String> contents(JsonNode layers) {
    List<String> out = new ArrayList<>();
    layers.forEach(l -> out.add(l.get("content").asText()));
    return out;
  }
}
