package com.example.gsping.imagetool.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.gsping.imagetool.fixtures.CliRun;
import com.example.gsping.imagetool.fixtures.DockerSaveTarball;
import com.example.gsping.imagetool.fixtures.FixtureImages;
import com.example.gsping.imagetool.fixtures.ImageToolProcess;
import com.example.gsping.imagetool.fixtures.LayerTar;
import com.example.gsping.imagetool.fixtures.StoreFiles;
import com.example.gsping.imagetool.fixtures.TarballEdit;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loads in processes of their own, two that succeed and two that fail after their layers landed,
 * while {@code ls} runs over and over: every listing succeeds, the good images arrive whole, and
 * no blob or temp file of the failed ones stays (a sweep never takes a blob another load is writing).
 */
class ConcurrentStoreWritersIT {
  @TempDir Path store;
  @TempDir Path work;

  @Test
  void concurrentLoadsThatFailLeaveNothingAndTheOthersArriveWhole() throws Exception {
    CliRun.ok(store, "load", FixtureImages.shared().multistage.toString());
    List<Process> loads = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      loads.add(ImageToolProcess.start(List.of(), store, "load", tarball("concurrent" + i + ":1", 50 + 10 * i, i % 2 == 1).toString()));
    }
    int listings = 0;
    while (loads.stream().anyMatch(Process::isAlive)) {
      CliRun ls = CliRun.run(store, "ls");
      assertEquals(0, ls.exitCode(), ls.err());
      listings++;
    }
    for (int i = 0; i < 4; i++) {
      String output = new String(loads.get(i).getInputStream().readAllBytes());
      assertEquals(i % 2 == 1 ? 1 : 0, loads.get(i).waitFor(), output);
    }
    assertTrue(listings > 0);
    String ls = CliRun.ok(store, "ls");
    assertTrue(ls.contains("concurrent0 ") && ls.contains("concurrent2 ") && ls.contains(" multistage "), ls);
    assertEquals(StoreFiles.reachableBlobs(store), StoreFiles.blobs(store), "no blob of the failed loads stays");
    assertEquals(StoreFiles.snapshot(store).keySet().stream().filter(f -> f.startsWith(".imagetool/tmp/")).toList(), List.of());
  }

  /** Three 6 MB layers; when {@code failing}, the last is not the one its config names (found after all landed). */
  private Path tarball(String name, int seed, boolean failing) throws Exception {
    Path valid = work.resolve(name.replace(':', '-') + ".tar");
    DockerSaveTarball.write(valid, List.of(name), Stream.of(seed, seed + 1, seed + 2)
        .map(s -> new LayerTar().file("data", LayerTar.bytes(6_000_000, s)).build()).toList());
    if (!failing) {
      return valid;
    }
    Path swapped = work.resolve(name.replace(':', '-') + "-swapped.tar");
    AtomicInteger layers = new AtomicInteger();
    TarballEdit.copy(valid, swapped, (entry, content) -> entry.endsWith("/layer.tar") && layers.incrementAndGet() == 3
        ? new LayerTar().file("other", LayerTar.bytes(6_000_000, seed + 3)).build() : content);
    return swapped;
  }
}
