package com.example.gsping.imagetool.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.gsping.imagetool.fixtures.CliRun;
import com.example.gsping.imagetool.fixtures.DockerSaveTarball;
import com.example.gsping.imagetool.fixtures.LayerTar;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code unpack}: an image's filesystem, layers applied in order, and nothing written outside the directory. */
class UnpackCommandTest {
  private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

  @TempDir Path dir;

  @Test
  void layersApplyInOrderWithWhiteoutsOpaqueDirectoriesModesLinksAndTimes() throws Exception {
    TarArchiveEntry setuid = new TarArchiveEntry("bin/tool");
    setuid.setMode(0104755);
    setuid.setSize(4);
    TarArchiveEntry sticky = new TarArchiveEntry("tmp/");
    sticky.setMode(041777);
    byte[] base = new LayerTar().dir("etc").file("etc/a", "A").file("etc/b", "B").dir("opt/old").file("opt/old/x", "x")
        .dir("bin").entry(setuid, "tool".getBytes()).entry(sticky, null).symlink("lib", "usr/lib").hardlink("etc/a-link", "etc/a")
        .dir("gone").file("gone/f", "f").build();
    byte[] top = new LayerTar().file("etc/.wh.b", "").dir("opt/old").file("opt/old/.wh..wh..opq", "").file("opt/old/y", "y")
        .file("gone", "now a file").file("etc/a", "A2").build();
    Path root = unpack(List.of(base, top), "layered:1").root;

    assertEquals(List.of("bin", "bin/tool", "etc", "etc/a", "etc/a-link", "gone", "lib", "opt", "opt/old", "opt/old/y", "tmp"),
        tree(root));
    assertEquals("A2", Files.readString(root.resolve("etc/a")));
    assertEquals("A", Files.readString(root.resolve("etc/a-link")), "the hard link keeps the file it was made to");
    assertEquals("now a file", Files.readString(root.resolve("gone")));
    assertEquals(Path.of("usr/lib"), Files.readSymbolicLink(root.resolve("lib")));
    assertEquals(04755, mode(root.resolve("bin/tool")));
    assertEquals(01777, mode(root.resolve("tmp")));
    assertEquals(1_600_000_000_000L, Files.getLastModifiedTime(root.resolve("etc/a")).toMillis());
    assertEquals(1_600_000_000_000L, Files.getLastModifiedTime(root.resolve("opt/old")).toMillis());
    assertEquals(1_600_000_000_000L, Files.getLastModifiedTime(root.resolve("lib"), NOFOLLOW).toMillis());
  }

  @Test
  void anEntryLeavingTheRootIsRefusedInOneLineAndNothingIsLeft() throws Exception {
    Unpacked r = unpack(List.of(new LayerTar().file("ok", "fine").file("../escape", "evil").build()), "hostile:path");
    assertRefused(r, "hostile:path: layer 1 \\([0-9a-f]{12}\\): entry ../escape leaves the image's root; refusing it");
    assertFalse(Files.exists(dir.resolve("escape")));
  }

  @Test
  void aHardLinkToOutsideTheRootIsRefused() throws Exception {
    Unpacked r = unpack(List.of(new LayerTar().hardlink("passwd", "../../etc/passwd").build()), "hostile:link");
    assertRefused(r, "hostile:link: layer 1 \\([0-9a-f]{12}\\): entry passwd \\(a hard link to ../../etc/passwd\\) leaves the"
        + " image's root; refusing it");
  }

  @Test
  void aHardLinkToTheRootItselfIsRefused() throws Exception {
    Unpacked r = unpack(List.of(new LayerTar().hardlink("root", "./").build()), "hostile:root");
    assertRefused(r, "hostile:root: layer 1 \\([0-9a-f]{12}\\): entry root is a hard link to ./, which is not a file before it;"
        + " refusing it");
  }

  @Test
  void anEntryUnderASymbolicLinkIsRefusedSoTheLinkIsNeverFollowed() throws Exception {
    Path outside = Files.createDirectory(dir.resolve("outside"));
    byte[] link = new LayerTar().symlink("lib", outside.toString()).build();
    byte[] write = new LayerTar().file("lib/evil.so", "evil").build();
    Unpacked r = unpack(List.of(link, write), "hostile:symlink");
    assertRefused(r, "hostile:symlink: layer 2 \\([0-9a-f]{12}\\): entry lib/evil.so lies under the symbolic link /lib;"
        + " refusing it");
    try (Stream<Path> files = Files.list(outside)) {
      assertEquals(0, files.count());
    }
  }

  @Test
  void namesAndHeadersBeyondDiffsBoundsAreRefused() throws Exception {
    assertRefused(unpack(List.of(new LayerTar().file("a/".repeat(2500) + "b", "deep").build()), "hostile:name"),
        "hostile:name: layer 1 \\([0-9a-f]{12}\\): entry (a/){32}… has a name or link longer than 4096 bytes; refusing it");
    assertRefused(unpack(List.of(LayerTar.paxPath(2_000_000)), "hostile:pax"),
        "hostile:pax: layer 1 \\([0-9a-f]{12}\\): a header entry \\(PAX or long name\\) of [0-9]{7} bytes; refusing those over 1048576");
  }

  @Test
  void aDeviceNodeIsRefused() throws Exception {
    TarArchiveEntry device = new TarArchiveEntry("dev/sda", TarConstants.LF_BLK);
    device.setMode(060600);
    Unpacked r = unpack(List.of(new LayerTar().entry(device, null).build()), "hostile:device");
    assertRefused(r, "hostile:device: layer 1 \\([0-9a-f]{12}\\): entry dev/sda is a device node; refusing it");
  }

  @Test
  void aTruncatedLayerInTheStoreIsRefusedNamingTheLayer() throws Exception {
    byte[] layer = new LayerTar().file("big", LayerTar.bytes(200_000, 1)).build();
    Path store = load(List.of(layer), "damaged:1");
    String digest = new ObjectMapper().readTree(ImportCommandTest.blob(store, ImportCommandTest.manifestOf(store, "damaged:1")).toFile())
        .at("/layers/0/digest").asText();
    Path blob = ImportCommandTest.blob(store, digest);
    byte[] bytes = Files.readAllBytes(blob);
    Files.write(blob, java.util.Arrays.copyOf(bytes, bytes.length / 2));
    Path root = dir.resolve("root");
    CliRun r = CliRun.run(store, "unpack", "damaged:1", root.toString());
    assertEquals(1, r.exitCode());
    assertTrue(Pattern.matches("imagetool: damaged:1: layer 1 \\([0-9a-f]{12}\\) [^\n]*\n", r.err()), r.err());
    assertFalse(Files.exists(root), "what was written is removed");
  }

  @Test
  void aDirectoryThatIsNotEmptyIsRefused() throws Exception {
    Path store = load(List.of(new LayerTar().file("a", "a").build()), "small:1");
    Path root = Files.createDirectory(dir.resolve("root"));
    Files.writeString(root.resolve("mine"), "keep");
    CliRun r = CliRun.run(store, "unpack", "small:1", root.toString());
    assertEquals(1, r.exitCode());
    assertEquals("imagetool: cannot unpack into " + root + ": it is not empty\n", r.err());
    assertEquals("keep", Files.readString(root.resolve("mine")));
  }

  private record Unpacked(Path root, CliRun run) {}

  private Unpacked unpack(List<byte[]> layers, String name) throws Exception {
    Path store = load(layers, name);
    Path root = dir.resolve("out/root");
    return new Unpacked(root, CliRun.run(store, "unpack", name, root.toString()));
  }

  private Path load(List<byte[]> layers, String name) throws Exception {
    Path tarball = dir.resolve("image.tar");
    DockerSaveTarball.write(tarball, List.of(name), layers);
    Path store = dir.resolve("store");
    CliRun.ok(store, "load", tarball.toString());
    return store;
  }

  private static void assertRefused(Unpacked r, String message) {
    assertEquals(1, r.run.exitCode(), r.run.err());
    assertTrue(Pattern.matches("imagetool: " + message + "\n", r.run.err()), r.run.err());
    assertFalse(Files.exists(r.root), "what was written is removed");
  }

  private static List<String> tree(Path root) throws Exception {
    try (Stream<Path> all = Files.walk(root)) {
      return all.filter(p -> !p.equals(root)).map(p -> root.relativize(p).toString()).sorted().toList();
    }
  }

  private static int mode(Path p) throws Exception {
    return (Integer) Files.getAttribute(p, "unix:mode", NOFOLLOW) & 07777;
  }
}
