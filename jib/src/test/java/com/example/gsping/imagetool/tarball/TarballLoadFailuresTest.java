package com.example.gsping.imagetool.tarball;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.gsping.imagetool.fixtures.CliRun;
import com.example.gsping.imagetool.fixtures.FixtureImages;
import com.example.gsping.imagetool.fixtures.TarballEdit;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input: one line on stderr naming the cause, exit 1, and the store exactly as before. */
class TarballLoadFailuresTest {
  private static FixtureImages images;

  @TempDir Path store;
  @TempDir Path work;
  private byte[] indexBefore;

  @BeforeAll
  static void buildImages() throws Exception {
    images = FixtureImages.shared();
  }

  @BeforeEach
  void storeWithOneImage() throws Exception {
    CliRun.ok(store, "load", images.multistage.toString());
    indexBefore = Files.readAllBytes(store.resolve("index.json"));
  }

  @Test
  void randomBytesAreRejectedAsNotATarball() throws Exception {
    Path junk = work.resolve("junk.tar");
    Files.write(junk, com.example.gsping.imagetool.fixtures.LayerTar.bytes(20_000, 9));
    assertFailsCleanly(junk, "is not an image tarball");
  }

  @Test
  void tarWithoutManifestOrIndexIsRejected() throws Exception {
    Path tar = work.resolve("plain.tar");
    Files.write(tar, new com.example.gsping.imagetool.fixtures.LayerTar().file("hello.txt", "hi").build());
    assertFailsCleanly(tar, "neither manifest.json");
  }

  @Test
  void truncatedTarballIsReportedAsCorrupt() throws Exception {
    byte[] whole = Files.readAllBytes(images.latest);
    Path cut = work.resolve("cut.tar");
    Files.write(cut, java.util.Arrays.copyOf(whole, whole.length / 2));
    assertFailsCleanly(cut, "corrupt");
  }

  @Test
  void layerWithDamagedBytesIsReportedAsCorruptAndNothingIsLoaded() throws Exception {
    Path damaged = work.resolve("damaged.tar");
    TarballEdit.copy(images.latest, damaged, (name, content) -> {
      if (name.endsWith(".tar.gz") && content.length > 10_000) {
        for (int i = content.length / 2; i < content.length / 2 + 64; i++) {
          content[i] ^= 0x5a;
        }
      }
      return content;
    });
    assertFailsCleanly(damaged, "corrupt");
  }

  @Test
  void aNameTwiceIsRefusedSoAHugeFirstCopyCannotHideBehindASmallLastOne() throws Exception {
    Path valid = work.resolve("valid.tar");
    com.example.gsping.imagetool.fixtures.DockerSaveTarball.write(valid, java.util.List.of("dup:latest"),
        java.util.List.of(new com.example.gsping.imagetool.fixtures.LayerTar().file("hi", "hi").build()));
    Path twice = work.resolve("twice.tar");
    try (InputStream in = Files.newInputStream(valid);
        TarArchiveInputStream tin = new TarArchiveInputStream(in);
        OutputStream out = Files.newOutputStream(twice);
        TarArchiveOutputStream tout = new TarArchiveOutputStream(out)) {
      byte[] huge = " ".repeat(20 * 1024 * 1024).getBytes(java.nio.charset.StandardCharsets.US_ASCII); // above the 16 MB cap
      TarArchiveEntry first = new TarArchiveEntry("manifest.json");
      first.setSize(huge.length);
      tout.putArchiveEntry(first);
      tout.write(huge);
      tout.closeArchiveEntry();
      TarArchiveEntry e;
      while ((e = tin.getNextEntry()) != null) {
        tout.putArchiveEntry(e);
        tin.transferTo(tout);
        tout.closeArchiveEntry();
      }
    }
    assertFailsCleanly(twice, "contains manifest.json more than once");
  }

  @Test
  void missingFileIsNamed() {
    assertFailsCleanly(work.resolve("nope.tar"), "no such file");
  }

  @Test
  void unknownImageOrTagFailsWithOneLine() {
    for (String[] args : new String[][] {{"history", "gsping-fixture:nope"}, {"untag", "gsping-fixture:nope"},
        {"compare", "gsping-fixture:multistage", "nothing:here"}, {"tag", "nothing:here", "other:tag"}}) {
      CliRun r = CliRun.run(store, args);
      assertEquals(1, r.exitCode(), String.join(" ", args));
      assertTrue(r.err().matches("imagetool: No such image: [a-z:.-]+\\n"), r.err());
    }
  }

  @Test
  void usageErrorsExitWithTwo() {
    CliRun r = CliRun.run(store, "compare", "only-one");
    assertEquals(2, r.exitCode());
    assertTrue(r.err().startsWith("imagetool: compare needs two images, or one image and two --platform values"), r.err());
    assertEquals(2, CliRun.run(store, "frobnicate").exitCode());
  }

  private void assertFailsCleanly(Path tarball, String cause) {
    CliRun r = CliRun.run(store, "load", tarball.toString());
    assertEquals(1, r.exitCode(), r.out() + r.err());
    assertEquals("", r.out());
    assertEquals(1, r.err().lines().count(), "one line, no stack trace: " + r.err());
    assertTrue(r.err().startsWith("imagetool: ") && r.err().contains(cause), r.err());
    try {
      assertArrayEquals(indexBefore, Files.readAllBytes(store.resolve("index.json")), "index.json unchanged");
      try (Stream<Path> tmp = Files.list(store.resolve(".imagetool/tmp"))) {
        assertFalse(tmp.findAny().isPresent(), "no temp files left");
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    assertTrue(CliRun.ok(store, "ls").contains("multistage"));
  }
}
