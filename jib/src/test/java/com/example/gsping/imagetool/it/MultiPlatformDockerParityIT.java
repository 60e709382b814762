package com.example.gsping.imagetool.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.example.gsping.imagetool.fixtures.CliRun;
import com.example.gsping.imagetool.fixtures.LocalServices;
import com.example.gsping.imagetool.fixtures.MultiPlatformImages;
import com.example.gsping.imagetool.fixtures.RegistryProcess;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two-platform index, pushed to a registry of this class's own, pulled by the real Docker
 * daemon once per platform ({@code docker pull --platform}; Docker 20.10 keeps one platform per
 * tag, so each platform is pulled under a tag of its own, both tags the same index): every platform
 * row {@code imagetool ls} shows for the index, read from the registry and from the store, has the
 * IMAGE ID, CREATED and SIZE that {@code docker image ls} shows for that platform's pull. The
 * registry listens on 127.0.0.1, which Docker treats as an insecure (plain HTTP) registry.
 */
class MultiPlatformDockerParityIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> PLATFORMS = List.of("linux/amd64", "linux/arm64");
  private static final String STORED = "gsping-multi:latest";
  @TempDir static Path dir;
  private static RegistryProcess registry;
  private static Path store;
  private static String repository;
  /** What this class pulled into the daemon, by platform; removed at the end. */
  private static final Map<String, String> PULLED = new java.util.LinkedHashMap<>();

  @BeforeAll
  static void pushTheIndexAndPullEachPlatform() throws Exception {
    LocalServices.requireDocker();
    registry = RegistryProcess.start(dir.resolve("registry"));
    store = dir.resolve("store");
    CliRun.ok(store, "load", MultiPlatformImages.shared().archive.toString());
    repository = registry.address + "/imagetool-parity-" + UUID.randomUUID().toString().substring(0, 8);
    for (String platform : PLATFORMS) {
      String name = repository + ":" + platform.substring(platform.indexOf('/') + 1);
      CliRun.ok(store, "push", STORED, name);
      PULLED.put(platform, name);
      LocalServices.docker("pull", "--quiet", "--platform", platform, name);
    }
  }

  @AfterAll
  static void removeWhatWasPulled() throws Exception {
    try {
      List<String> present = new ArrayList<>();
      for (String name : PULLED.values()) {
        if (!LocalServices.docker("image", "ls", "--quiet", name).isBlank()) {
          present.add(name);
        }
      }
      if (!present.isEmpty()) {
        List<String> args = new ArrayList<>(List.of("rmi"));
        args.addAll(present);
        LocalServices.docker(args.toArray(String[]::new));
      }
    } finally {
      if (registry != null) {
        registry.close();
      }
    }
  }

  @Test
  void theDaemonPulledEachPlatformAndTheyDiffer() throws Exception {
    for (String platform : PLATFORMS) {
      assertEquals(platform, LocalServices.docker("image", "inspect", "--format", "{{.Os}}/{{.Architecture}}",
          PULLED.get(platform)).strip());
    }
    String[] amd64 = docker("linux/amd64").split(" ");
    String[] arm64 = docker("linux/arm64").split(" ");
    assertNotEquals(amd64[0], arm64[0], "no row could pass for the other platform's by its ID");
    assertNotEquals(amd64[3], arm64[3], "nor by its size");
  }

  @Test
  void eachPlatformRowOfTheIndexIsWhatDockerShowsAfterPullingThatPlatform() throws Exception {
    for (String listed : List.of(PULLED.get("linux/amd64"), STORED)) {
      JsonNode index = JSON.readTree(CliRun.ok(store, "ls", "--format", "json", listed)).get(0);
      assertEquals(PLATFORMS.size(), index.get("platforms").size(), listed);
      for (JsonNode row : index.get("platforms")) {
        String platform = row.get("platform").asText();
        assertEquals(docker(platform), ours(row), listed + " " + platform);
      }
    }
  }

  @Test
  void lsWithPlatformShowsWhatDockerShowsForThatPlatformsPull() throws Exception {
    for (String platform : PLATFORMS) {
      for (String listed : List.of(PULLED.get(platform), STORED)) {
        JsonNode rows = JSON.readTree(CliRun.ok(store, "ls", "--format", "json", "--platform", platform, listed));
        assertEquals(1, rows.size(), listed);
        assertEquals(docker(platform), ours(rows.get(0)), listed + " --platform " + platform);
      }
    }
  }

  @Test
  void theTablesPlatformRowsHaveDockersImageIdCreatedAndSize() throws Exception {
    List<String> table = CliRun.ok(store, "ls", PULLED.get("linux/arm64")).lines().toList();
    for (String platform : PLATFORMS) {
      String[] cells = table.stream().filter(l -> l.contains(" " + platform + " ")).findFirst()
          .orElseThrow(() -> new AssertionError(platform + " not in " + table)).strip().split(" {2,}");
      assertEquals(LocalServices.docker("image", "ls", "--format", "{{.ID}}|{{.CreatedSince}}|{{.Size}}",
          PULLED.get(platform)).strip(), cells[1] + "|" + cells[2] + "|" + cells[3], String.join("\n", table));
    }
  }

  /** Docker's view of what it pulled for {@code platform}: full image ID, CREATED, SIZE as shown, size in bytes. */
  private static String docker(String platform) throws Exception {
    String name = PULLED.get(platform);
    return LocalServices.docker("image", "inspect", "--format", "{{.Id}}", name).strip() + " "
        + LocalServices.docker("image", "ls", "--format", "{{.ID}} {{.Size}}", name).strip() + " "
        + LocalServices.docker("image", "inspect", "--format", "{{.Size}}", name).strip();
  }

  private static String ours(JsonNode row) {
    return row.get("imageId").asText() + " " + row.get("id").asText() + " " + row.get("sizeHuman").asText() + " "
        + row.get("size").asLong();
  }
}
