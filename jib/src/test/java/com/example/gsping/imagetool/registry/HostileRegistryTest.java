package com.example.gsping.imagetool.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.gsping.imagetool.fixtures.CliRun;
import com.example.gsping.imagetool.fixtures.HostileRegistry;
import com.example.gsping.imagetool.fixtures.LayerTar;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14's rules against {@link HostileRegistry}: credentials stay with their registry, what a
 * registry sends is bounded in size and time, and nothing unverified is kept. Each run is in
 * process with the registry's Basic credentials in a docker config of the test's own.
 */
class HostileRegistryTest {
  private static final Duration HANG_GUARD = Duration.ofSeconds(60);
  private static final byte[] MANIFEST_START = "{\"schemaVersion\":2,\"x\":\"".getBytes(StandardCharsets.UTF_8);

  @TempDir Path store;
  @TempDir Path config;
  private HostileRegistry registry;
  private String image;

  @BeforeEach
  void start() throws Exception {
    registry = HostileRegistry.start();
    registry.dockerConfig(config);
    image = registry.address() + "/app:latest";
  }

  @AfterEach
  void stop() {
    registry.close();
  }

  private CliRun run(String... args) {
    List<String> all = new java.util.ArrayList<>(List.of("--config", config.toString(), "--registry-timeout", "2"));
    all.addAll(List.of(args));
    return assertTimeoutPreemptively(HANG_GUARD, () -> CliRun.run(store, all.toArray(String[]::new)));
  }

  /** Exit 1 and exactly one line on stderr, which contains {@code expected}. */
  private static void assertOneLineFailure(CliRun r, String expected) {
    assertEquals(1, r.exitCode(), r.err() + r.out());
    assertEquals(1, r.err().lines().count(), r.err());
    assertTrue(r.err().startsWith("imagetool: ") && r.err().contains(expected), r.err());
    assertFalse(r.err().contains("internal error"), r.err());
  }

  private void assertCredentialsNeverLeftTheRegistry() {
    assertTrue(registry.received().stream().anyMatch(q -> HostileRegistry.BASIC.equals(q.authorization())),
        "the registry itself got the credentials: " + registry.received());
    assertTrue(registry.receivedElsewhere().stream().allMatch(q -> q.authorization() == null),
        "another host got credentials: " + registry.receivedElsewhere());
  }

  @Test
  void aBlobRedirectedToAnotherHostIsFetchedWithoutTheCredentials() {
    registry.on("GET /v2/app/blobs/" + HostileRegistry.LAYER_DIGEST, HostileRegistry::redirectLayer)
        .onElsewhere("/blob", (x, r) -> HostileRegistry.send(x, 200, HostileRegistry.LAYER));
    CliRun r = run("history", image);
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().contains("3B"), r.out());
    assertEquals(1, registry.receivedElsewhere().size(), registry.receivedElsewhere().toString());
    assertCredentialsNeverLeftTheRegistry();
  }

  @Test
  void anUploadLocationOnAnotherHostGetsNoCredentials() {
    registry.on("POST /v2/app/blobs/uploads/", HostileRegistry::uploadElsewhere)
        .onElsewhere("/upload/1", (x, r) -> HostileRegistry.send(x, 201, new byte[0]));
    CliRun r = run("push", image, registry.address() + "/app:copy");
    assertEquals(0, r.exitCode(), r.err());
    assertEquals(2, registry.receivedElsewhere().stream().filter(q -> q.method().equals("PUT")).count(),
        registry.receivedElsewhere().toString());
    assertCredentialsNeverLeftTheRegistry();
  }

  @Test
  void aRedirectLoopEnds() {
    registry.on("GET /v2/app/manifests/latest", (x, r) -> {
      x.getResponseHeaders().set("Location", "/v2/app/manifests/latest");
      HostileRegistry.send(x, 307, new byte[0]);
    });
    assertOneLineFailure(run("history", image), "more than 5 times");
  }

  @Test
  void aGigabyteManifestIsRefusedAtFourMegabytes() {
    registry.on("GET /v2/app/manifests/latest", (x, r) -> HostileRegistry.stream(x, MANIFEST_START, new byte[1 << 20], 1L << 30));
    assertOneLineFailure(run("history", image), "manifest app:latest is larger than 4096 KiB");
  }

  @Test
  void aGigabyteChildOfAnIndexIsRefusedAtFourMegabytes() {
    String child = "sha256:" + "c".repeat(64);
    byte[] index = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[{\"mediaType\":"
        + "\"application/vnd.oci.image.manifest.v1+json\",\"size\":1000,\"digest\":\"" + child + "\","
        + "\"platform\":{\"architecture\":\"arm64\",\"os\":\"linux\"}}]}").getBytes(StandardCharsets.UTF_8);
    registry.on("GET /v2/app/manifests/latest", (x, r) -> HostileRegistry.send(x, 200, index, "application/vnd.oci.image.index.v1+json"));
    registry.on("GET /v2/app/manifests/" + child, (x, r) -> HostileRegistry.stream(x, MANIFEST_START, new byte[1 << 20], 1L << 30));
    assertOneLineFailure(run("ls", image), "manifest app@" + child + " is larger than 4096 KiB");
    assertOneLineFailure(run("history", "--platform", "linux/arm64", image), "manifest app@" + child + " is larger than 4096 KiB");
  }

  @Test
  void anEndlessManifestIsRefusedAtFourMegabytes() {
    byte[] chunk = "a".repeat(1 << 16).getBytes(StandardCharsets.UTF_8);
    registry.on("GET /v2/app/manifests/latest", (x, r) -> HostileRegistry.stream(x, MANIFEST_START, chunk, Long.MAX_VALUE));
    assertOneLineFailure(run("history", image), "manifest app:latest is larger than 4096 KiB");
  }

  @Test
  void aStalledManifestEndsAfterTheRegistryTimeout() {
    registry.on("GET /v2/app/manifests/latest", (x, r) -> HostileRegistry.stall(x, MANIFEST_START));
    assertOneLineFailure(run("history", image), "manifest app:latest was not complete within 2 s");
  }

  @Test
  void aManifestTrickledSlowerThanTheTimeoutEnds() {
    registry.on("GET /v2/app/manifests/latest", (x, r) -> {
      x.sendResponseHeaders(200, 0);
      for (int i = 0; i < 600; i++) {
        x.getResponseBody().write(' ');
        x.getResponseBody().flush();
        sleep(100);
      }
    });
    assertOneLineFailure(run("history", image), "was not complete within 2 s");
  }

  @Test
  void aStalledBlobEndsAfterTheRegistryTimeout() {
    registry.on("GET /v2/app/blobs/" + HostileRegistry.LAYER_DIGEST, (x, r) -> HostileRegistry.stall(x, new byte[100]));
    assertOneLineFailure(run("history", image), "sent nothing for 2 s");
    assertNoSizeCached();
  }

  @Test
  void anOversizedBlobIsRefusedAndItsSizeNotCached() throws Exception {
    byte[] big = new LayerTar().file("big", LayerTar.bytes(5 * 1024 * 1024, 1)).build();
    registry.on("GET /v2/app/blobs/" + HostileRegistry.LAYER_DIGEST, (x, r) -> HostileRegistry.send(x, 200, big));
    CliRun r = run("history", image);
    assertOneLineFailure(r, "registry " + registry.address() + " sent more than the " + HostileRegistry.LAYER.length
        + " bytes of blob " + HostileRegistry.LAYER_DIGEST);
    assertNoSizeCached();
    assertOneLineFailure(run("ls", registry.address() + "/app"), HostileRegistry.LAYER_DIGEST);
  }

  @Test
  void aBlobWithOtherContentOfTheRightSizeIsRefused() throws Exception {
    byte[] other = new LayerTar().file("hi", "ho\n").build();
    assertEquals(HostileRegistry.LAYER.length, other.length);
    registry.on("GET /v2/app/blobs/" + HostileRegistry.LAYER_DIGEST, (x, r) -> HostileRegistry.send(x, 200, other));
    assertOneLineFailure(run("compare", image, image), "served blob " + HostileRegistry.LAYER_DIGEST + " with other content");
    assertNoSizeCached();
  }

  @Test
  void aManifestWhoseDigestHeaderDisagreesIsRefused() {
    registry.on("GET /v2/app/manifests/latest", (x, r) -> {
      x.getResponseHeaders().set("Docker-Content-Digest", HostileRegistry.LAYER_DIGEST);
      HostileRegistry.send(x, 200, r.manifest, "application/vnd.oci.image.manifest.v1+json");
    });
    assertOneLineFailure(run("history", image), "served manifest " + registry.manifestDigest + " for manifest app:latest but says its digest is "
        + HostileRegistry.LAYER_DIGEST);
  }

  @Test
  void indexesNestedWithoutEndAreRefused() {
    byte[] inner = registry.manifest;
    for (int depth = 0; depth < 8; depth++) {
      String digest = com.example.gsping.imagetool.image.Digests.sha256(inner);
      byte[] child = inner;
      registry.on("GET /v2/app/manifests/" + digest, (x, r) -> HostileRegistry.send(x, 200, child, "application/vnd.oci.image.index.v1+json"));
      inner = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[{\"mediaType\":"
          + "\"application/vnd.oci.image.index.v1+json\",\"size\":" + child.length + ",\"digest\":\"" + digest + "\"}]}")
          .getBytes(StandardCharsets.UTF_8);
    }
    byte[] top = inner;
    registry.on("GET /v2/app/manifests/latest", (x, r) -> HostileRegistry.send(x, 200, top, "application/vnd.oci.image.index.v1+json"));
    assertOneLineFailure(run("history", image), "image indexes nested too deeply");
    assertOneLineFailure(run("ls", image), "image indexes nested too deeply");
    assertOneLineFailure(run("push", image, registry.address() + "/app:copy"), "image indexes nested too deeply");
  }

  @Test
  void tagPagesThatLoopEnd() {
    registry.on("GET /v2/app/tags/list", (x, r) -> {
      x.getResponseHeaders().set("Link", "</v2/app/tags/list?n=1&last=latest>; rel=\"next\"");
      HostileRegistry.send(x, 200, "{\"name\":\"app\",\"tags\":[\"latest\"]}".getBytes(StandardCharsets.UTF_8));
    });
    assertOneLineFailure(run("ls", registry.address() + "/app"), "tag list whose pages loop");
  }

  @Test
  void endlessDistinctTagPagesEnd() {
    registry.on("GET /v2/app/tags/list", (x, r) -> {
      x.getResponseHeaders().set("Link", "</v2/app/tags/list?n=1&last=" + System.nanoTime() + ">; rel=\"next\"");
      HostileRegistry.send(x, 200, "{\"name\":\"app\",\"tags\":[]}".getBytes(StandardCharsets.UTF_8));
    });
    assertOneLineFailure(run("ls", registry.address() + "/app"), "more than 1000 pages of tags");
  }

  @Test
  void aHugeTokenResponseIsRefusedAtOneMegabyte() {
    registry.withoutBasicAuth().on("GET /v2/app/manifests/latest", (x, r) -> {
      x.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"" + r.elsewhere() + "/token\",service=\"hostile\"");
      HostileRegistry.send(x, 401, new byte[0]);
    }).onElsewhere("/token", (x, r) -> HostileRegistry.stream(x, "{\"token\":\"".getBytes(StandardCharsets.UTF_8),
        "a".repeat(1 << 16).getBytes(StandardCharsets.UTF_8), Long.MAX_VALUE));
    assertOneLineFailure(run("history", image), "token service of " + registry.address() + " is larger than 1024 KiB");
  }

  @Test
  void anEndlessErrorBodyIsCutAndReportedInOneLine() {
    registry.on("GET /v2/app/manifests/latest", (x, r) -> {
      x.sendResponseHeaders(500, 0);
      byte[] chunk = "error\n".repeat(10_000).getBytes(StandardCharsets.UTF_8);
      for (;;) {
        x.getResponseBody().write(chunk);
      }
    });
    assertOneLineFailure(run("history", image), "failed: 500 error error");
  }

  @Test
  void descriptorsThatAreNotDigestsAreRefused() {
    String manifest = new String(registry.manifest, StandardCharsets.UTF_8).replace(HostileRegistry.LAYER_DIGEST, "sha256:../../../etc/passwd");
    registry.on("GET /v2/app/manifests/latest", (x, r) -> HostileRegistry.send(x, 200, manifest.getBytes(StandardCharsets.UTF_8)));
    assertOneLineFailure(run("history", image), "has an invalid layer descriptor");
  }

  private void assertNoSizeCached() {
    Path sizes = store.resolve(".imagetool/layer-sizes");
    try (Stream<Path> files = Files.exists(sizes) ? Files.list(sizes) : Stream.empty()) {
      assertEquals(List.of(), files.toList(), "sizes cached from an unverified blob");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
