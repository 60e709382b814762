package com.example.gsping.imagetool.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.gsping.imagetool.fixtures.CliRun;
import com.example.gsping.imagetool.fixtures.DockerSaveTarball;
import com.example.gsping.imagetool.fixtures.FixtureImages;
import com.example.gsping.imagetool.fixtures.LayerTar;
import com.example.gsping.imagetool.fixtures.StoreFiles;
import com.example.gsping.imagetool.fixtures.TarballEdit;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A command that fails leaves every file of the store (index, blobs, size cache) byte for byte as it was. */
class FailedWritesChangeNothingTest {
  @TempDir Path store;
  @TempDir Path work;

  @Test
  void everyFailingWriteLeavesEveryFileAsItWas() throws Exception {
    FixtureImages images = FixtureImages.shared();
    CliRun.ok(store, "load", images.latest.toString());
    CliRun.ok(store, "load", images.multistage.toString());
    Map<String, String> before = StoreFiles.snapshot(store);

    // Found only after both layers landed as blobs (and in the size cache): the second is not what the config says.
    Path valid = work.resolve("valid.tar");
    DockerSaveTarball.write(valid, List.of("failing:1"), List.of(
        new LayerTar().file("a", LayerTar.bytes(20_000, 21)).build(), new LayerTar().file("b", LayerTar.bytes(20_000, 22)).build()));
    Path swapped = work.resolve("swapped.tar");
    AtomicInteger layers = new AtomicInteger();
    TarballEdit.copy(valid, swapped, (name, content) -> name.endsWith("/layer.tar") && layers.incrementAndGet() == 2
        ? new LayerTar().file("c", LayerTar.bytes(20_000, 23)).build() : content);
    assertFails("imagetool: " + swapped + " is corrupt: layer ", "load", swapped.toString());
    assertEquals(before, StoreFiles.snapshot(store), "the failed load's blobs and cached sizes are gone");

    assertFails("imagetool: No such image: nope:1", "untag", "nope:1");
    assertFails("imagetool: No such image: nope:1", "tag", "nope:1", "other:1");
    String id = CliRun.ok(store, "ls", "gsping-fixture:latest").lines().skip(1).findFirst().orElseThrow().split(" +")[2];
    assertFails("imagetool: conflict: unable to delete " + id, "untag", id);
    assertEquals(before, StoreFiles.snapshot(store));
  }

  private void assertFails(String start, String... args) {
    CliRun r = CliRun.run(store, args);
    assertEquals(1, r.exitCode(), r.out() + r.err());
    assertEquals(1, r.err().lines().count(), r.err());
    assertTrue(r.err().startsWith(start), r.err());
  }
}
