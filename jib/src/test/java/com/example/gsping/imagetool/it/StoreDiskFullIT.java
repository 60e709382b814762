package com.example.gsping.imagetool.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.example.gsping.imagetool.fixtures.CliRun;
import com.example.gsping.imagetool.fixtures.DockerSaveTarball;
import com.example.gsping.imagetool.fixtures.FixtureImages;
import com.example.gsping.imagetool.fixtures.LayerTar;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A full disk (a tiny tmpfs, so needs root): one line, exit 1, the store as it was. */
class StoreDiskFullIT {
  @TempDir Path dir;

  @Test
  void loadOnAFullDiskFailsInOneLineAndLeavesTheStoreUnchanged() throws Exception {
    Path mount = Files.createDirectories(dir.resolve("small-disk"));
    Process m = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", mount.toString()).redirectErrorStream(true).start();
    String mountOutput = new String(m.getInputStream().readAllBytes());
    if (m.waitFor() != 0) {
      fail("cannot mount a small tmpfs to simulate a full disk (needs root): " + mountOutput);
    }
    try {
      Path store = mount.resolve("store");
      CliRun.ok(store, "load", FixtureImages.shared().multistage.toString());
      byte[] indexBefore = Files.readAllBytes(store.resolve("index.json"));

      Path big = dir.resolve("big.tar");
      DockerSaveTarball.write(big, List.of("too-big:1"), List.of(new LayerTar().file("blob", LayerTar.bytes(2_000_000, 11)).build()));
      CliRun r = CliRun.run(store, "load", big.toString());

      assertEquals(1, r.exitCode());
      assertEquals(1, r.err().lines().count(), r.err());
      assertTrue(r.err().startsWith("imagetool: cannot write to image store " + store + ": No space left on device"), r.err());
      assertArrayEquals(indexBefore, Files.readAllBytes(store.resolve("index.json")));
      try (var tmp = Files.list(store.resolve(".imagetool/tmp"))) {
        assertEquals(0, tmp.count(), "staged blob removed");
      }
      assertTrue(CliRun.ok(store, "ls").contains("multistage"));
    } finally {
      new ProcessBuilder("umount", mount.toString()).inheritIO().start().waitFor();
    }
  }
}
