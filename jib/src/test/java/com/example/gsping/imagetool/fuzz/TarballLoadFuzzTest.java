package com.example.gsping.imagetool.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.example.gsping.imagetool.fixtures.CliRun;
import com.example.gsping.imagetool.fixtures.LayerTar;
import com.example.gsping.imagetool.image.Digests;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzes {@code load}: tarballs made of the fuzzer's bytes, either raw or as tar entries with the
 * names the loader looks for (manifest.json, index.json, oci-layout, blobs/sha256/..., a config, a
 * layer) holding fuzzed content, plain or gzipped. Every load ends in success or one line and exit
 * 1, and the store stays readable. Seeds (kept findings among them):
 * {@code src/test/resources/com/example/gsping/imagetool/fuzz/TarballLoadFuzzTestInputs/}.
 */
class TarballLoadFuzzTest {
  private static final byte[] LAYER = new LayerTar().file("hi", "hi\n").build();
  private static final String LAYER_HEX = Digests.hex(Digests.sha256(LAYER));
  private static final List<String> NAMES = List.of("manifest.json", "index.json", "oci-layout", "layer.tar",
      LAYER_HEX + "/layer.tar", "config.json", "blobs/sha256/" + LAYER_HEX, "./manifest.json", "blobs/sha256/");
  private static final List<String> SNIPPETS = List.of("[{\"Config\":\"config.json\",\"RepoTags\":[\"fuzz:t\"],\"Layers\":[\"layer.tar\"]}]",
      "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"size\":2,\"digest\":\"sha256:"
          + LAYER_HEX + "\"}]}",
      "{\"imageLayoutVersion\":\"1.0.0\"}",
      "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"sha256:" + LAYER_HEX + "\"]}}",
      "null", "[]", "{}", "[null]", "[{\"Config\":null,\"Layers\":[null]}]", "sha256:", "../", "{\"schemaVersion\":2,\"config\":{}}");

  @TempDir static Path dir;

  @BeforeAll
  static void createDir() throws IOException {
  }

  @FuzzTest(maxDuration = "5s")
  void anyTarballLoadsOrFailsInOneLine(FuzzedDataProvider data) throws IOException {
    Path store = Files.createTempDirectory(dir, "store-");
    Path tarball = store.resolveSibling(store.getFileName() + ".tar");
    Files.write(tarball, data.consumeBoolean() ? data.consumeRemainingAsBytes() : structured(data));
    OneLineFailure.assertCleanOutcome(CliRun.run(store, "load", tarball.toString()));
    assertEquals(0, CliRun.run(store, "ls").exitCode(), "the store is still readable");
  }

  private static byte[] structured(FuzzedDataProvider data) throws IOException {
    boolean gzip = data.consumeBoolean();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (OutputStream out = gzip ? new GZIPOutputStream(bytes) : bytes; TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      int entries = data.consumeInt(0, 6);
      for (int i = 0; i < entries; i++) {
        String name = data.consumeBoolean() ? data.pickValue(NAMES) : data.consumeString(40);
        byte[] content = switch (data.consumeInt(0, 3)) {
          case 0 -> LAYER;
          case 1 -> data.pickValue(SNIPPETS).getBytes(java.nio.charset.StandardCharsets.UTF_8);
          case 2 -> data.consumeString(400).getBytes(java.nio.charset.StandardCharsets.UTF_8);
          default -> data.consumeBytes(400);
        };
        TarArchiveEntry e = new TarArchiveEntry(name.isEmpty() ? "x" : name);
        e.setSize(content.length);
        tar.putArchiveEntry(e);
        tar.write(content);
        tar.closeArchiveEntry();
      }
    } catch (IllegalArgumentException | IOException e) {
      // an entry commons-compress will not write (a bad name, content under a directory name):
      // the bytes so far still make a tarball to load
    }
    return bytes.toByteArray();
  }
}
