package com.example.gsping.imagetool.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.gsping.imagetool.fixtures.CliRun;
import com.example.gsping.imagetool.fixtures.LayerTar;
import com.example.gsping.imagetool.image.Digests;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code index}: two platforms' images as one multi-platform image, what publish-bases.sh pushes. */
class IndexCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private Path store;

  @BeforeEach
  void importBothPlatforms() throws Exception {
    store = dir.resolve("store");
    for (String arch : List.of("amd64", "arm64")) {
      Path tar = Files.write(dir.resolve(arch + ".tar"), new LayerTar().file("arch", arch).build());
      CliRun.ok(store, "import", "--platform", "linux/" + arch, tar.toString(), "base:linux-" + arch);
    }
  }

  @Test
  void theIndexNamesEachImageWithThePlatformItsConfigStates() throws Exception {
    String digest = CliRun.ok(store, "index", "base:1", "base:linux-amd64", "base:linux-arm64").strip();
    byte[] bytes = Files.readAllBytes(ImportCommandTest.blob(store, digest));
    assertEquals(digest, Digests.sha256(bytes));
    JsonNode index = JSON.readTree(bytes);
    assertEquals("application/vnd.oci.image.index.v1+json", index.get("mediaType").asText());
    assertEquals(2, index.get("manifests").size());
    for (int i = 0; i < 2; i++) {
      JsonNode entry = index.get("manifests").get(i);
      String arch = i == 0 ? "amd64" : "arm64";
      assertEquals(ImportCommandTest.manifestOf(store, "base:linux-" + arch), entry.get("digest").asText());
      assertEquals("application/vnd.oci.image.manifest.v1+json", entry.get("mediaType").asText());
      assertEquals("linux", entry.at("/platform/os").asText());
      assertEquals(arch, entry.at("/platform/architecture").asText());
    }
    List<String> ls = CliRun.ok(store, "ls", "base:1").lines().toList();
    assertTrue(ls.get(1).startsWith("base ") && ls.get(1).contains(" " + digest.substring(7, 19) + " "), ls.toString());
    assertTrue(ls.get(2).contains("\u251c\u2500 linux/amd64") && ls.get(3).contains("\u2514\u2500 linux/arm64"), ls.toString());
  }

  @Test
  void aSecondImageOfOnePlatformOrAnIndexAsSourceIsRefusedInOneLine() {
    CliRun twice = CliRun.run(store, "index", "base:1", "base:linux-amd64", "base:linux-amd64");
    assertEquals(1, twice.exitCode());
    assertEquals("imagetool: base:linux-amd64 is a second linux/amd64 image; one per platform\n", twice.err());
    CliRun.ok(store, "index", "base:1", "base:linux-amd64", "base:linux-arm64");
    CliRun nested = CliRun.run(store, "index", "base:2", "base:1");
    assertEquals(1, nested.exitCode());
    assertEquals("imagetool: base:1 is a multi-platform image; name each platform's image\n", nested.err());
    CliRun missing = CliRun.run(store, "index", "base:3", "base:linux-riscv64");
    assertEquals(1, missing.exitCode());
    assertEquals("imagetool: No such image: base:linux-riscv64\n", missing.err());
  }
}
