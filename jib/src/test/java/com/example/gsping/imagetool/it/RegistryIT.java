package com.example.gsping.imagetool.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.gsping.imagetool.fixtures.CliRun;
import com.example.gsping.imagetool.fixtures.FixtureImages;
import com.example.gsping.imagetool.fixtures.LocalServices;
import com.example.gsping.imagetool.fixtures.RegistryProcess;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Against a real CNCF distribution registry of this class's own ({@link RegistryProcess}: the
 * docker-registry that bash jib/local-env.sh installs, on a free loopback port, storage in a temp
 * directory), so a test run leaves nothing in the user's registry on 127.0.0.1:5000.
 */
class RegistryIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path registryDir;
  private static RegistryProcess registry;
  private static String R;

  @TempDir Path store;
  private String repo;

  @BeforeAll
  static void startRegistry() throws Exception {
    registry = RegistryProcess.start(registryDir);
    R = registry.address;
  }

  @AfterAll
  static void stopRegistry() throws Exception {
    registry.close();
  }

  @BeforeEach
  void loadFixtures() throws Exception {
    FixtureImages images = FixtureImages.shared();
    CliRun.ok(store, "load", images.latest.toString());
    CliRun.ok(store, "load", images.multistage.toString());
    repo = LocalServices.uniqueRepository("gs-ping");
  }

  @Test
  void pushUploadsOnceThenSkipsEveryBlobTheRegistryHas() throws Exception {
    List<String> first = CliRun.ok(store, "push", "gsping-fixture:latest", R + "/" + repo + ":latest").lines().toList();
    assertEquals("The push refers to repository [" + R + "/" + repo + "]", first.get(0));
    assertEquals(6, first.stream().filter(l -> l.endsWith(": Pushed")).count(), first.toString());
    String digestLine = first.get(first.size() - 1);
    assertTrue(digestLine.matches("latest: digest: sha256:[0-9a-f]{64} size: \\d+"), digestLine);

    List<String> again = CliRun.ok(store, "push", "gsping-fixture:latest", R + "/" + repo + ":latest").lines().toList();
    assertEquals(6, again.stream().filter(l -> l.endsWith(": Layer already exists")).count(), again.toString());
    assertEquals(digestLine, again.get(again.size() - 1));
  }

  @Test
  void pushingTheSecondImageReusesTheSharedApplicationLayers() throws Exception {
    CliRun.ok(store, "push", "gsping-fixture:latest", R + "/" + repo + ":latest");
    List<String> lines = CliRun.ok(store, "push", "gsping-fixture:multistage", R + "/" + repo + ":multistage").lines().toList();
    assertEquals(4, lines.stream().filter(l -> l.endsWith(": Layer already exists")).count(), lines.toString());
    assertEquals(1, lines.stream().filter(l -> l.endsWith(": Pushed")).count(), lines.toString());
  }

  @Test
  void diffReadsARegistrysImageAsTheStoresGivingTheSameLines() throws Exception {
    CliRun.ok(store, "push", "gsping-fixture:multistage", R + "/" + repo + ":multistage");
    CliRun local = CliRun.run(store, "diff", "gsping-fixture:latest", "gsping-fixture:multistage");
    CliRun remote = CliRun.run(store, "diff", "gsping-fixture:latest", R + "/" + repo + ":multistage");
    assertEquals(1, remote.exitCode(), remote.err());
    assertTrue(remote.out().contains("A /opt/jre/bin/java\n"), remote.out());
    assertEquals(local.out(), remote.out());
  }

  @Test
  void registryToRegistryCopyMountsBlobsFromTheSourceRepository() throws Exception {
    CliRun.ok(store, "push", "gsping-fixture:latest", R + "/" + repo + ":latest");
    String other = repo + "-copy";
    List<String> lines = CliRun.ok(store, "push", R + "/" + repo + ":latest", R + "/" + other + ":latest").lines().toList();
    assertEquals(6, lines.stream().filter(l -> l.endsWith(": Mounted from " + repo)).count(), lines.toString());
    assertEquals(LocalServices.manifestDigest(R, repo, "latest"), LocalServices.manifestDigest(R, other, "latest"));
  }

  @Test
  void tagPutsTheSameManifestBytesUnderTheNewTag() throws Exception {
    CliRun.ok(store, "push", "gsping-fixture:latest", R + "/" + repo + ":latest");
    CliRun r = CliRun.run(store, "tag", R + "/" + repo + ":latest", R + "/" + repo + ":v1.0");
    assertEquals(0, r.exitCode(), r.err());
    assertEquals(LocalServices.manifestDigest(R, repo, "latest"), LocalServices.manifestDigest(R, repo, "v1.0"));
    assertArrayEquals(LocalServices.manifestBytes(R, repo, "latest"), LocalServices.manifestBytes(R, repo, "v1.0"));
  }

  @Test
  void untagOnDistributionUsesThePlaceholderFallbackAndKeepsTheOtherTagAndDigest() throws Exception {
    CliRun.ok(store, "push", "gsping-fixture:latest", R + "/" + repo + ":latest");
    CliRun.ok(store, "tag", R + "/" + repo + ":latest", R + "/" + repo + ":v1.0");
    CliRun.ok(store, "tag", R + "/" + repo + ":latest", R + "/" + repo + ":probe");
    String digest = LocalServices.manifestDigest(R, repo, "latest").orElseThrow();
    // This registry refuses DELETE by tag, so the fallback path is the one exercised below.
    assertEquals(400, LocalServices.deleteByTagStatus(R, repo, "probe"));
    assertEquals(Optional.of(digest), LocalServices.manifestDigest(R, repo, "probe"));

    CliRun r = CliRun.run(store, "untag", R + "/" + repo + ":v1.0");
    assertEquals(0, r.exitCode(), r.err());
    assertEquals("Untagged: " + R + "/" + repo + ":v1.0\n", r.out());

    assertEquals(Optional.empty(), LocalServices.manifestDigest(R, repo, "v1.0"), "v1.0 is gone (404)");
    assertEquals(Optional.of(digest), LocalServices.manifestDigest(R, repo, "latest"), "latest still points to the same image");
    assertEquals(Optional.of(digest), LocalServices.manifestDigest(R, repo, "probe"));
    assertEquals(Optional.of(digest), LocalServices.manifestDigest(R, repo, digest), "the image manifest itself was not deleted");
    JsonNode tags = JSON.readTree(LocalServices.tagList(R, repo)).get("tags");
    assertEquals(Set.of("latest", "probe"), StreamSupport.stream(tags.spliterator(), false).map(JsonNode::asText).collect(Collectors.toSet()));

    CliRun again = CliRun.run(store, "untag", R + "/" + repo + ":v1.0");
    assertEquals(1, again.exitCode());
    assertTrue(again.err().startsWith("imagetool: No such image: " + R + "/" + repo + ":v1.0"), again.err());
  }

  @Test
  void lsHistoryAndCompareReadTheRegistryAndAgreeWithTheLocalStore() throws Exception {
    CliRun.ok(store, "push", "gsping-fixture:latest", R + "/" + repo + ":latest");
    CliRun.ok(store, "push", "gsping-fixture:multistage", R + "/" + repo + ":multistage");
    CliRun.ok(store, "tag", R + "/" + repo + ":latest", R + "/" + repo + ":v1.0");

    JsonNode remote = JSON.readTree(CliRun.ok(store, "ls", "--format", "json", R + "/" + repo));
    JsonNode local = JSON.readTree(CliRun.ok(store, "ls", "--format", "json", "gsping-fixture"));
    assertEquals(3, remote.size());
    for (JsonNode row : remote) {
      JsonNode same = StreamSupport.stream(local.spliterator(), false)
          .filter(l -> l.get("tag").asText().equals(row.get("tag").asText())).findFirst().orElseThrow();
      assertEquals(same.get("id").asText(), row.get("id").asText(), "IMAGE ID of " + row.get("tag"));
      assertEquals(same.get("size").asLong(), row.get("size").asLong(), "SIZE of " + row.get("tag"));
    }
    String table = CliRun.ok(store, "ls", R + "/" + repo);
    assertTrue(table.contains(R + "/" + repo + "   v1.0"), table);

    assertEquals(CliRun.ok(store, "history", "gsping-fixture:latest"), CliRun.ok(store, "history", R + "/" + repo + ":latest"));

    JsonNode c = JSON.readTree(CliRun.ok(store, "compare", "--format", "json", R + "/" + repo + ":latest", R + "/" + repo + ":multistage"));
    Set<String> shared = StreamSupport.stream(c.get("shared").spliterator(), false).map(l -> l.get("content").asText()).collect(Collectors.toSet());
    assertEquals(Set.of("dependencies", "resources", "classes", "jvm arg files"), shared);
  }

  @Test
  void unknownTagInTheRegistryFailsWithOneLine() {
    CliRun r = CliRun.run(store, "history", R + "/" + repo + ":nope");
    assertEquals(1, r.exitCode());
    assertEquals(1, r.err().lines().count(), r.err());
    assertTrue(r.err().startsWith("imagetool: No such image: " + R + "/" + repo + ":nope"), r.err());
  }
}
