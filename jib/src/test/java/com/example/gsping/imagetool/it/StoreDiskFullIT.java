package com.example.gsping.imagetool.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.gsping.imagetool.fixtures.CliRun;
import com.example.gsping.imagetool.fixtures.DockerSaveTarball;
import com.example.gsping.imagetool.fixtures.FixtureImages;
import com.example.gsping.imagetool.fixtures.LayerTar;
import com.example.gsping.imagetool.fixtures.PrivateTmpfs;
import com.example.gsping.imagetool.fixtures.StoreFiles;
import com.example.gsping.imagetool.image.Digests;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full disk (a 512 kB tmpfs of the test's own, any user's): one line, exit 1, every file of the
 * store as it was, and the space a failure took given back, so what fitted before still fits.
 */
class StoreDiskFullIT {
  @TempDir Path dir;
  private PrivateTmpfs disk;
  private Path store;

  @BeforeEach
  void smallDiskWithOneImage() throws Exception {
    disk = PrivateTmpfs.mount(dir.resolve("small-disk"), "512k");
    store = disk.path().resolve("store");
    CliRun.ok(store, "load", FixtureImages.shared().multistage.toString());
  }

  @AfterEach
  void unmount() throws Exception {
    disk.close();
  }

  @Test
  void loadOnAFullDiskFailsInOneLineAndLeavesTheStoreUnchanged() throws Exception {
    Map<String, String> before = StoreFiles.snapshot(store);
    Path big = image("too-big:1", 2_000_000);
    assertFailsForSpace(big);
    assertEquals(before, StoreFiles.snapshot(store));
    assertTrue(CliRun.ok(store, "ls").contains("multistage"));
  }

  @Test
  void aLoadWhoseSecondLayerDoesNotFitGivesBackTheFirstSoASmallerImageStillFits() throws Exception {
    Map<String, String> before = StoreFiles.snapshot(store);
    Path twoLayers = dir.resolve("two-layers.tar");
    DockerSaveTarball.write(twoLayers, List.of("two-layers:1"), List.of(
        new LayerTar().file("first", LayerTar.bytes(250_000, 31)).build(),
        new LayerTar().file("second", LayerTar.bytes(2_000_000, 32)).build()));
    assertFailsForSpace(twoLayers);
    assertEquals(before, StoreFiles.snapshot(store), "the first layer's blob and cached size are gone");
    CliRun.ok(store, "load", image("fits:1", 250_000).toString());
  }

  @Test
  void aWriteSweepsWhatAnInterruptedLoadLeftSoItsSpaceIsFreeAgain() throws Exception {
    byte[] leftover = LayerTar.bytes(250_000, 33); // a blob an interrupted load committed before its index
    Files.write(StoreFiles.blob(store, Digests.sha256(leftover)), leftover);
    CliRun.ok(store, "load", image("fits:1", 250_000).toString());
    assertEquals(StoreFiles.reachableBlobs(store), StoreFiles.blobs(store));
  }

  private Path image(String name, int bytes) throws Exception {
    Path tar = dir.resolve(name.replace(':', '-') + ".tar");
    DockerSaveTarball.write(tar, List.of(name), List.of(new LayerTar().file("blob", LayerTar.bytes(bytes, 11)).build()));
    return tar;
  }

  private void assertFailsForSpace(Path tarball) {
    CliRun r = CliRun.run(store, "load", tarball.toString());
    assertEquals(1, r.exitCode());
    assertEquals(1, r.err().lines().count(), r.err());
    assertTrue(r.err().startsWith("imagetool: cannot write to image store " + store + ": No space left on device"), r.err());
  }
}
