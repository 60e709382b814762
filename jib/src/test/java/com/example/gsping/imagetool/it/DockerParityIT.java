package com.example.gsping.imagetool.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.example.gsping.imagetool.fixtures.CliRun;
import com.example.gsping.imagetool.fixtures.FixtureImages;
import com.example.gsping.imagetool.fixtures.LocalServices;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same tarballs loaded by the real Docker daemon (docker load) and by imagetool show the
 * same IMAGE ID and SIZE; the base image's layers hold a symlink, a hard link and a whiteout,
 * the cases where Docker's size is not simply the sum of regular files.
 */
class DockerParityIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path dir;
  private static FixtureImages images;
  private static final String REPO = "imagetool-parity-" + UUID.randomUUID().toString().substring(0, 8);
  private static final List<String> NAMES = List.of(REPO + ":latest", REPO + ":v1.0", REPO + ":multistage", REPO + "-base:1");

  @BeforeAll
  static void loadIntoDocker() throws Exception {
    LocalServices.requireDocker();
    images = FixtureImages.build(dir.resolve("images"), REPO);
    for (Path tar : List.of(images.base, images.latest, images.multistage)) {
      LocalServices.docker("load", "-i", tar.toString());
    }
  }

  @AfterAll
  static void removeFromDocker() throws Exception {
    if (images != null) {
      List<String> args = new java.util.ArrayList<>(List.of("rmi", "--force"));
      args.addAll(NAMES);
      args.add(REPO + ":resaved");
      new ProcessBuilder(prepend(LocalServices.DOCKER, args)).redirectErrorStream(true).start().waitFor();
    }
  }

  @Test
  void lsShowsTheSameImageIdAndSizeAsDockerImageLs() throws Exception {
    Path store = dir.resolve("store");
    for (Path tar : List.of(images.base, images.latest, images.multistage)) {
      CliRun.ok(store, "load", tar.toString());
    }
    for (String name : NAMES) {
      assertEquals(docker(name), ours(store, name), name);
    }
  }

  @Test
  void imagesWrittenByDockerSaveLoadWithTheSameIdAndSize() throws Exception {
    LocalServices.docker("tag", REPO + ":latest", REPO + ":resaved");
    Path saved = dir.resolve("saved.tar");
    LocalServices.docker("save", "-o", saved.toString(), REPO + ":resaved");
    Path store = dir.resolve("store-from-docker-save");
    assertEquals("Loaded image: " + REPO + ":resaved\n", CliRun.ok(store, "load", saved.toString()));
    assertEquals(docker(REPO + ":resaved"), ours(store, REPO + ":resaved"));
  }

  private static String docker(String name) throws Exception {
    String line = LocalServices.docker("image", "ls", "--format", "{{.ID}} {{.Size}}", name).strip();
    String bytes = LocalServices.docker("image", "inspect", "--format", "{{.Size}}", name).strip();
    return line + " " + bytes;
  }

  private static String ours(Path store, String name) throws Exception {
    JsonNode rows = JSON.readTree(CliRun.ok(store, "ls", "--format", "json", name));
    JsonNode row = StreamSupport.stream(rows.spliterator(), false).findFirst().orElseThrow();
    return row.get("id").asText() + " " + row.get("sizeHuman").asText() + " " + row.get("size").asLong();
  }

  private static List<String> prepend(String first, List<String> rest) {
    List<String> all = new java.util.ArrayList<>();
    all.add(first);
    all.addAll(rest);
    return all;
  }
}
