package com.example.gsping.imagetool.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.gsping.imagetool.fixtures.CliRun;
import com.example.gsping.imagetool.fixtures.DockerSaveTarball;
import com.example.gsping.imagetool.fixtures.FixtureImages;
import com.example.gsping.imagetool.fixtures.ImageToolProcess;
import com.example.gsping.imagetool.fixtures.LayerTar;
import com.example.gsping.imagetool.fixtures.StoreFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * kill -9 of a {@code load} (a process of its own) while it stages its first layer, after its
 * first and after its second layer landed: the index is as it was, and the next write (a
 * {@code tag}) sweeps every blob and temp file the killed load left.
 */
class StoreKillIT {
  @TempDir static Path work;
  private static Path big;

  @TempDir Path store;

  @BeforeAll
  static void bigImage() throws Exception {
    big = work.resolve("big.tar");
    DockerSaveTarball.write(big, List.of("killed:1"), Stream.of(41, 42, 43)
        .map(seed -> new LayerTar().file("data", LayerTar.bytes(12_000_000, seed)).build()).toList());
  }

  /** {@code moment}: 0 while the first blob is staged, else after that many new blobs landed. */
  @ParameterizedTest(name = "killed after {0} of its layers landed")
  @ValueSource(ints = {0, 1, 2})
  void aKilledLoadLeavesTheIndexAsItWasAndTheNextWriteSweepsWhatItLeft(int moment) throws Exception {
    CliRun.ok(store, "load", FixtureImages.shared().multistage.toString());
    byte[] index = Files.readAllBytes(store.resolve("index.json"));
    int blobsBefore = StoreFiles.blobs(store).size();

    Process load = ImageToolProcess.start(List.of(), store, "load", big.toString());
    Predicate<Path> reached = moment == 0
        ? s -> count(s.resolve(".imagetool/tmp")) > 0
        : s -> count(s.resolve("blobs/sha256")) >= blobsBefore + moment;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!reached.test(store) && load.isAlive() && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertTrue(load.isAlive(), "load ended before the moment to kill it");
    load.destroyForcibly(); // SIGKILL
    load.waitFor();

    assertArrayEquals(index, Files.readAllBytes(store.resolve("index.json")));
    assertTrue(CliRun.ok(store, "ls").contains(" multistage "));
    CliRun.ok(store, "tag", "gsping-fixture:multistage", "gsping-fixture:after");
    assertEquals(StoreFiles.reachableBlobs(store), StoreFiles.blobs(store), "the killed load's blobs are swept");
    assertEquals(0, count(store.resolve(".imagetool/tmp")), "its temp file is swept");
    CliRun.ok(store, "load", big.toString());
  }

  private static long count(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      return files.count();
    } catch (java.io.IOException e) {
      return 0;
    }
  }
}
