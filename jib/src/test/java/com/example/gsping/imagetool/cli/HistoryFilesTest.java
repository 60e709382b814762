package com.example.gsping.imagetool.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.gsping.imagetool.fixtures.CliRun;
import com.example.gsping.imagetool.fixtures.DockerSaveTarball;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code history --files} on {@link DiffCommandTest}'s base plus the layer that overwrites and deletes some of it. */
class HistoryFilesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path store;
  @TempDir Path dir;

  @BeforeEach
  void load() throws Exception {
    Path tar = dir.resolve("wasteful.tar");
    DockerSaveTarball.write(tar, List.of("waste-test:1"), List.of(DiffCommandTest.base().build(), DiffCommandTest.top()));
    CliRun.ok(store, "load", tar.toString());
  }

  @Test
  void eachLayerListsItsFilesSayingWhichLaterLayerHidesThemWithDivesEfficiency() {
    List<String> lines = CliRun.ok(store, "history", "--files", "waste-test:1").lines().toList();
    assertTrue(lines.get(0).matches("LAYER 1 [0-9a-f]{12} \\(base\\): 10 files, 13B; later layers hide 9B"), lines.get(0));
    assertTrue(lines.contains("        3B  /etc/changed  (overwritten by layer 2)"), lines.toString());
    assertTrue(lines.contains("        1B  /etc/gone  (deleted by layer 2)"), lines.toString());
    assertTrue(lines.contains("        1B  /opt/a  (deleted by layer 2)"), lines.toString());
    assertTrue(lines.contains("        0B  /etc/link -> target1  (overwritten by layer 2)"), lines.toString());
    assertTrue(lines.contains("        4B  /etc/keep"), lines.toString());
    // base: 13 bytes in files; the top layer 12; per path the smallest size, a deletion counting 0, sums to 14
    assertEquals("WASTED in waste-test:1: 9B (9 bytes) that later layers overwrite or delete; efficiency 56.0000%",
        lines.get(lines.size() - 1));
  }

  @Test
  void jsonCarriesTheFiguresAndFailOverFailsOnlyAboveItsBytes() throws Exception {
    JsonNode report = JSON.readTree(CliRun.ok(store, "history", "--files", "--format", "json", "waste-test:1"));
    assertEquals(9, report.get("wastedBytes").asLong());
    assertEquals(0.56, report.get("efficiency").asDouble(), 1e-9);
    assertEquals(9, report.get("layers").get(0).get("wastedBytes").asLong());
    assertEquals(0, report.get("layers").get(1).get("wastedBytes").asLong());

    assertEquals(0, CliRun.run(store, "history", "--files", "--fail-over", "9", "waste-test:1").exitCode());
    CliRun over = CliRun.run(store, "history", "--files", "--fail-over", "8", "waste-test:1");
    assertEquals(1, over.exitCode());
    assertEquals("imagetool: waste-test:1 wastes 9 bytes, more than --fail-over 8\n", over.err());
  }
}
