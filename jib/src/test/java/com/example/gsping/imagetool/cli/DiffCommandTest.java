package com.example.gsping.imagetool.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.gsping.imagetool.fixtures.CliRun;
import com.example.gsping.imagetool.fixtures.DockerSaveTarball;
import com.example.gsping.imagetool.fixtures.LayerTar;
import com.example.gsping.imagetool.fixtures.StoreFiles;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code diff} on images built for the purpose: a base, and the base plus a layer that adds, deletes
 * (whiteout, opaque directory), changes content, mode, owner, symlink and hard link targets, and
 * only a modification time; and images whose layers differ but whose filesystems do not.
 */
class DiffCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final long T1 = 1_600_000_000_000L;
  private static final long T2 = 1_700_000_000_000L;

  @TempDir Path store;
  @TempDir Path dir;

  static LayerTar base() {
    return new LayerTar()
        .dir("etc").file("etc/keep", "same").file("etc/changed", "one")
        .file("etc/mode", "m", 0644, 0, T1).file("etc/owner", "o", 0644, 0, T1).file("etc/mtime", "t", 0644, 0, T1)
        .symlink("etc/link", "target1").file("etc/gone", "x").hardlink("etc/alias", "etc/keep")
        .dir("opt").file("opt/a", "a").file("opt/b", "b");
  }

  static byte[] top() {
    return new LayerTar()
        .file("etc/changed", "three").file("etc/mode", "m", 0755, 0, T1).file("etc/owner", "o", 0644, 1000, T1)
        .file("etc/mtime", "t", 0644, 0, T2).symlink("etc/link", "target2").file("etc/.wh.gone", new byte[0])
        .hardlink("etc/alias", "etc/changed").file("etc/new", "new")
        .file("opt/.wh..wh..opq", new byte[0]).file("opt/c", "c")
        .build();
  }

  private Path image(String name, byte[]... layers) throws Exception {
    Path tar = dir.resolve(name.replace(':', '-') + ".tar");
    DockerSaveTarball.write(tar, List.of(name), Arrays.asList(layers));
    CliRun.ok(store, "load", tar.toString());
    return tar;
  }

  @Test
  void eachKindOfChangeIsOneLineInDockerDiffFormSayingWhatChanged() throws Exception {
    image("diff-test:a", base().build());
    image("diff-test:b", base().build(), top());
    CliRun r = CliRun.run(store, "diff", "diff-test:a", "diff-test:b");
    assertEquals(1, r.exitCode(), r.err());
    assertEquals(List.of(
        "C /etc/alias: content, size 4 -> 5, link /etc/keep -> /etc/changed",
        "C /etc/changed: content, size 3 -> 5",
        "D /etc/gone",
        "C /etc/link: link target1 -> target2",
        "C /etc/mode: mode 0644 -> 0755",
        "C /etc/mtime: mtime 2020-09-13T12:26:40Z -> 2023-11-14T22:13:20Z",
        "A /etc/new",
        "C /etc/owner: owner 0:0 -> 1000:1000",
        "D /opt/a",
        "D /opt/b",
        "A /opt/c"), r.outLines());
  }

  @Test
  void ignoreTimestampsLeavesOutMtimeOnlyChangesAndJsonCarriesBothEntries() throws Exception {
    image("diff-test:a", base().build());
    image("diff-test:b", base().build(), top());
    List<String> lines = CliRun.run(store, "diff", "--ignore-timestamps", "diff-test:a", "diff-test:b").outLines();
    assertEquals(10, lines.size(), lines.toString());
    assertTrue(lines.stream().noneMatch(l -> l.contains("/etc/mtime")), lines.toString());

    JsonNode report = JSON.readTree(CliRun.run(store, "diff", "--format", "json", "diff-test:a", "diff-test:b").out());
    JsonNode alias = report.get("changes").get(0);
    assertEquals("/etc/alias", alias.get("path").asText());
    assertEquals("hardlink", alias.get("b").get("type").asText());
    JsonNode changed = report.get("changes").get(1);
    assertEquals(changed.get("b").get("digest"), alias.get("b").get("digest"), "a hard link has its target's content");
    assertEquals("D", report.get("changes").get(2).get("kind").asText());
    assertEquals(null, report.get("changes").get(2).get("b"), "only in A");
  }

  @Test
  void imagesWithOtherLayersButTheSameFilesAreEqualAndExitZero() throws Exception {
    image("diff-test:a", base().build(), top());
    // the same files in one layer, in another order: other layers, same filesystem
    image("diff-test:flat", new LayerTar()
        .dir("opt").file("opt/c", "c")
        .dir("etc").file("etc/keep", "same").file("etc/changed", "three")
        .file("etc/mode", "m", 0755, 0, T1).file("etc/owner", "o", 0644, 1000, T1).file("etc/mtime", "t", 0644, 0, T2)
        .symlink("etc/link", "target2").hardlink("etc/alias", "etc/changed").file("etc/new", "new").build());
    CliRun r = CliRun.run(store, "diff", "diff-test:a", "diff-test:flat");
    assertEquals("", r.out());
    assertEquals(0, r.exitCode(), r.err());
    assertEquals(0, CliRun.run(store, "diff", "diff-test:a", "diff-test:a").exitCode());
  }

  @Test
  void aTarballIsReadWithoutLoadingItIntoTheStore() throws Exception {
    image("diff-test:a", base().build());
    Path b = dir.resolve("b.tar");
    DockerSaveTarball.write(b, List.of("diff-test:b"), List.of(base().build(), top()));
    var before = StoreFiles.snapshot(store);
    CliRun r = CliRun.run(store, "diff", "diff-test:a", b.toString());
    assertEquals(1, r.exitCode(), r.err());
    assertEquals(11, r.outLines().size(), r.out());
    assertEquals(before, StoreFiles.snapshot(store));
  }

  @Test
  void hostileLayersFailInOneLineNamingImageAndEntryWithExitTwo() throws Exception {
    image("diff-test:a", base().build());
    assertFails(new LayerTar().raw("../../etc/passwd", TarConstants.LF_NORMAL, null).build(),
        "diff-test:escape: layer 1 (", ": entry ../../etc/passwd leaves the image's root; refusing it");
    assertFails(new LayerTar().file("a", "a").raw("b", TarConstants.LF_LINK, "../../etc/shadow").build(),
        "diff-test:escape: layer 1 (", ": entry b (a hard link to ../../etc/shadow) leaves the image's root; refusing it");
    assertFails(new LayerTar().raw("dev/sda", TarConstants.LF_BLK, null).build(),
        "diff-test:escape: layer 1 (", ": entry dev/sda is a device node; refusing it");
    assertFails(new LayerTar().hardlink("b", "nowhere").build(),
        "diff-test:escape: layer 1 (", ": entry /b is a hard link to /nowhere, which is not in the image before it; refusing it");
    assertFails(new LayerTar().file("x".repeat(5000), "long").build(),
        "diff-test:escape: layer 1 (", "has a name or link longer than 4096 bytes; refusing it");
    assertFails(LayerTar.paxPath(2_000_000), "diff-test:escape: layer 1 (", ": a header entry (PAX or long name) of 2000");
  }

  @Test
  void aTarballWithAFileLargerThanItsHeaderSaysFailsInOneLine() throws Exception {
    image("diff-test:a", base().build());
    byte[] layer = new LayerTar().file("big", LayerTar.bytes(2000, 9)).build();
    // the header says 10 bytes of the 2000 that follow it: the rest is read as the next header
    byte[] size = String.format("%011o\0", 10).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    System.arraycopy(size, 0, layer, 124, size.length);
    Arrays.fill(layer, 148, 156, (byte) ' ');
    int sum = 0;
    for (int i = 0; i < 512; i++) {
      sum += layer[i] & 0xff;
    }
    byte[] checksum = String.format("%06o\0 ", sum).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    System.arraycopy(checksum, 0, layer, 148, checksum.length);
    Path tarball = dir.resolve("longer.tar");
    DockerSaveTarball.write(tarball, List.of("diff-test:longer"), List.of(layer));
    CliRun r = CliRun.run(store, "diff", "diff-test:a", tarball.toString());
    assertEquals(2, r.exitCode(), r.err() + r.out());
    assertEquals("", r.out());
    assertEquals(1, r.err().lines().count(), r.err());
    assertTrue(r.err().startsWith("imagetool: " + tarball + ": layer ") && r.err().contains("is corrupt: Corrupted TAR archive"), r.err());
  }

  @Test
  void aTruncatedLayerInTheStoreOrAMissingImageFailsWithExitTwo() throws Exception {
    image("diff-test:a", base().build());
    image("diff-test:b", base().build(), top());
    String layer = StoreFiles.manifest(store, "diff-test:b").get("layers").get(1).get("digest").asText();
    Path blob = StoreFiles.blob(store, layer);
    byte[] bytes = Files.readAllBytes(blob);
    Files.write(blob, Arrays.copyOf(bytes, bytes.length / 2));
    CliRun r = CliRun.run(store, "diff", "diff-test:a", "diff-test:b");
    assertEquals(2, r.exitCode(), r.out());
    assertEquals(1, r.err().lines().count(), r.err());
    assertTrue(r.err().startsWith("imagetool: diff-test:b: layer 2 ("), r.err());

    CliRun missing = CliRun.run(store, "diff", "diff-test:a", "diff-test:nosuch");
    assertEquals(2, missing.exitCode());
    assertEquals("imagetool: No such image: diff-test:nosuch\n", missing.err());
  }

  private void assertFails(byte[] layer, String prefix, String suffix) throws Exception {
    image("diff-test:escape", layer);
    CliRun r = CliRun.run(store, "diff", "diff-test:a", "diff-test:escape");
    assertEquals(2, r.exitCode(), r.err() + r.out());
    assertEquals("", r.out());
    assertEquals(1, r.err().lines().count(), r.err());
    String line = r.err().strip();
    assertTrue(line.startsWith("imagetool: " + prefix) && line.contains(suffix), line);
  }
}
