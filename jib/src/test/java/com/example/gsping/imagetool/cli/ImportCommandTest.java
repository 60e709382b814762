package com.example.gsping.imagetool.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.gsping.imagetool.fixtures.CliRun;
import com.example.gsping.imagetool.fixtures.LayerTar;
import com.example.gsping.imagetool.image.Digests;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code import}: a root filesystem tarball as an image of one layer, what the bases are packed with. */
class ImportCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<String, String> EPOCH = Map.of("SOURCE_DATE_EPOCH", "1735689600");

  @TempDir Path dir;

  @Test
  void theTarIsTheLayerByteForByteAndTheConfigIsWrittenAsUmociWroteTheBases() throws Exception {
    byte[] rootfs = new LayerTar().dir("etc").file("etc/os-release", "ID=test\n").symlink("bin", "usr/bin").build();
    Path tar = Files.write(dir.resolve("rootfs.tar"), rootfs);
    Path store = dir.resolve("store");
    String id = CliRun.runWithEnv(EPOCH, store, "import", "--platform", "linux/arm64", "--env", "PATH=/opt/java/bin",
        "--env", "JAVA_HOME=/opt/java", "--user", "65532:65532", "--cmd", "jshell", "--workdir", "/",
        "--label", "z.last=2", "--label", "a.first=1 (with spaces)", "--created-by", "mmdebstrap trixie",
        "--message", "recipe abc", tar.toString(), "base/runtime:linux-arm64").out().strip();

    String diffId = Digests.sha256(rootfs);
    String expected = "{\"created\":\"2025-01-01T00:00:00Z\",\"architecture\":\"arm64\",\"os\":\"linux\",\"config\":{"
        + "\"User\":\"65532:65532\",\"Env\":[\"PATH=/opt/java/bin\",\"JAVA_HOME=/opt/java\"],\"Cmd\":[\"jshell\"],"
        + "\"WorkingDir\":\"/\",\"Labels\":{\"a.first\":\"1 (with spaces)\",\"z.last\":\"2\"}},"
        + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + diffId + "\"]},"
        + "\"history\":[{\"created\":\"2025-01-01T00:00:00Z\",\"created_by\":\"mmdebstrap trixie\",\"comment\":\"recipe abc\"}]}\n";
    assertEquals(expected, Files.readString(blob(store, id), StandardCharsets.UTF_8));
    assertEquals(Digests.sha256(expected.getBytes(StandardCharsets.UTF_8)), id, "printed: the image ID");

    JsonNode manifest = JSON.readTree(blob(store, manifestOf(store, "base/runtime:linux-arm64")).toFile());
    assertEquals(id, manifest.at("/config/digest").asText());
    assertEquals(1, manifest.get("layers").size());
    try (GZIPInputStream layer = new GZIPInputStream(Files.newInputStream(blob(store, manifest.at("/layers/0/digest").asText())))) {
      assertEquals(diffId, Digests.sha256(layer.readAllBytes()), "the layer is the tar, gzipped");
    }
    assertTrue(CliRun.ok(store, "ls", "--platform", "linux/arm64", "base/runtime").contains(id.substring(7, 19)));
  }

  @Test
  void aGzippedTarballIsTheSameLayerAndWithoutAnEpochTheConfigHasThisRunsTime() throws Exception {
    byte[] rootfs = new LayerTar().file("hello", "hi").build();
    Path gz = dir.resolve("rootfs.tar.gz");
    try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gz))) {
      out.write(rootfs);
    }
    Path store = dir.resolve("store");
    String id = CliRun.ok(store, "import", gz.toString(), "hello").strip();
    JsonNode config = JSON.readTree(blob(store, id).toFile());
    assertEquals(Digests.sha256(rootfs), config.at("/rootfs/diff_ids/0").asText());
    assertTrue(config.get("created").asText().startsWith(java.time.Year.now().toString()), config.toString());
    assertEquals(com.example.gsping.imagetool.image.TargetPlatform.host().architecture(), config.get("architecture").asText());
  }

  @Test
  void aMissingTarballOrAnEnvWithoutValueIsOneLineAndNoImage() throws Exception {
    Path store = dir.resolve("store");
    CliRun missing = CliRun.run(store, "import", dir.resolve("nope.tar").toString(), "x:1");
    assertEquals(1, missing.exitCode());
    assertEquals("imagetool: cannot import " + dir.resolve("nope.tar") + ": no such file\n", missing.err());
    Path tar = Files.write(dir.resolve("rootfs.tar"), new LayerTar().file("a", "b").build());
    CliRun env = CliRun.run(store, "import", "--env", "JAVA_HOME", tar.toString(), "x:1");
    assertEquals(1, env.exitCode());
    assertEquals("imagetool: --env JAVA_HOME: write NAME=VALUE\n", env.err());
    CliRun notTar = CliRun.run(store, "import", Files.write(dir.resolve("junk.tar"), new byte[] {1, 2, 3}).toString(), "x:1");
    assertEquals(1, notTar.exitCode(), notTar.err());
    assertEquals(1, notTar.err().lines().count(), notTar.err());
    assertEquals("", CliRun.ok(store, "ls", "-q"));
  }

  static Path blob(Path store, String digest) {
    return store.resolve("blobs/sha256/" + Digests.hex(digest));
  }

  static String manifestOf(Path store, String name) throws Exception {
    for (JsonNode m : JSON.readTree(store.resolve("index.json").toFile()).get("manifests")) {
      if (name.equals(m.at("/annotations/org.opencontainers.image.ref.name").asText())) {
        return m.get("digest").asText();
      }
    }
    throw new AssertionError("no " + name + " in " + store);
  }
}
