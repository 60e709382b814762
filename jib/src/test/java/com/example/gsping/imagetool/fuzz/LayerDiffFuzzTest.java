package com.example.gsping.imagetool.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.example.gsping.imagetool.fixtures.CliRun;
import com.example.gsping.imagetool.fixtures.DockerSaveTarball;
import com.example.gsping.imagetool.fixtures.LayerTar;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzes {@code diff}'s reading of layers: an image of a good layer and a layer of fuzzed entries
 * (names, types, link targets, whiteouts, modes, owners, times), or of a good layer's bytes with
 * some changed, against a fixed image. Every run ends in exit 0 or 1 (same or different) or in one
 * line and exit 2.
 */
class LayerDiffFuzzTest {
  private static final byte[] BASE = new LayerTar().dir("etc").file("etc/a", "a").symlink("etc/l", "a").dir("opt")
      .file("opt/b", "b").build();
  private static final List<String> NAMES = List.of("etc", "etc/a", "etc/.wh.a", "opt/.wh..wh..opq", ".wh.etc", "../x", "./etc/a",
      "/etc/a", "etc/a/b", "dev/null", "a/../../b", "opt", "opt/b", ".wh..wh..opq", "etc/l");
  private static final List<Byte> TYPES = List.of(TarConstants.LF_NORMAL, TarConstants.LF_DIR, TarConstants.LF_SYMLINK,
      TarConstants.LF_LINK, TarConstants.LF_CHR, TarConstants.LF_BLK, TarConstants.LF_FIFO, TarConstants.LF_CONTIG);

  @TempDir static Path dir;
  private static Path store;

  @BeforeAll
  static void loadBase() throws IOException {
    store = dir.resolve("store");
    Path base = dir.resolve("base.tar");
    DockerSaveTarball.write(base, List.of("fuzz-base:1"), List.of(BASE));
    CliRun.ok(store, "load", base.toString());
  }

  @FuzzTest(maxDuration = "5s")
  void anyLayerDiffsOrFailsInOneLine(FuzzedDataProvider data) throws IOException {
    byte[] layer = data.consumeBoolean() ? changed(data) : structured(data);
    Path tarball = Files.createTempFile(dir, "image-", ".tar");
    DockerSaveTarball.write(tarball, List.of("fuzz:1"), List.of(BASE, layer));
    OneLineFailure.assertCleanOutcome(CliRun.run(store, "diff", "fuzz-base:1", tarball.toString()), 2);
    Files.delete(tarball);
  }

  private static byte[] changed(FuzzedDataProvider data) {
    byte[] bytes = BASE.clone();
    for (int i = data.consumeInt(1, 8); i > 0 && data.remainingBytes() > 0; i--) {
      bytes[data.consumeInt(0, bytes.length - 1)] = data.consumeByte();
    }
    return bytes;
  }

  private static byte[] structured(FuzzedDataProvider data) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      for (int i = data.consumeInt(0, 8); i > 0; i--) {
        String name = data.consumeBoolean() ? data.pickValue(NAMES) : data.consumeString(60);
        byte type = data.pickValue(TYPES);
        TarArchiveEntry e = new TarArchiveEntry(name.isEmpty() ? "x" : name, type, true);
        if (type == TarConstants.LF_SYMLINK || type == TarConstants.LF_LINK) {
          e.setLinkName(data.consumeBoolean() ? data.pickValue(NAMES) : data.consumeString(60));
        }
        e.setMode(data.consumeInt());
        e.setUserId(data.consumeLong());
        e.setModTime(data.consumeLong());
        byte[] content = type == TarConstants.LF_NORMAL ? data.consumeBytes(50) : new byte[0];
        e.setSize(content.length);
        tar.putArchiveEntry(e);
        tar.write(content);
        tar.closeArchiveEntry();
      }
    } catch (IllegalArgumentException | IOException e) {
      // an entry commons-compress will not write: the bytes so far still make a layer
    }
    return bytes.toByteArray();
  }
}
