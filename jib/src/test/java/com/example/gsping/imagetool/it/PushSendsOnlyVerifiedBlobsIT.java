package com.example.gsping.imagetool.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.gsping.imagetool.fixtures.CliRun;
import com.example.gsping.imagetool.fixtures.FixtureImages;
import com.example.gsping.imagetool.fixtures.LocalServices;
import com.example.gsping.imagetool.fixtures.RegistryProcess;
import com.example.gsping.imagetool.fixtures.StoreFiles;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code push} from the local store, against a registry of the test's own: only verified bytes, only the spec's fields. */
class PushSendsOnlyVerifiedBlobsIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir Path store;
  @TempDir Path registryDir;

  @Test
  void aDamagedLayerIsRefusedInOneLineBeforeAnyBlobGoesUp() throws Exception {
    CliRun.ok(store, "load", FixtureImages.shared().latest.toString());
    JsonNode manifest = StoreFiles.manifest(store, "gsping-fixture:latest");
    String base = manifest.get("layers").get(0).get("digest").asText(); // the bottom layer: pushed last
    StoreFiles.flipBit(StoreFiles.blob(store, base), false);
    try (RegistryProcess registry = RegistryProcess.start(registryDir)) {
      String repo = LocalServices.uniqueRepository("damaged");
      CliRun r = CliRun.run(store, "push", "gsping-fixture:latest", registry.address + "/" + repo + ":latest");
      assertEquals(1, r.exitCode());
      assertEquals(1, r.err().lines().count(), r.err());
      assertTrue(r.err().startsWith("imagetool: gsping-fixture:latest: blob " + base + " is damaged (content sha256:"), r.err());
      assertTrue(r.err().endsWith("; nothing was pushed\n"), r.err());
      List<String> blobs = new ArrayList<>(List.of(manifest.get("config").get("digest").asText()));
      manifest.get("layers").forEach(l -> blobs.add(l.get("digest").asText()));
      for (String blob : blobs) {
        assertEquals(404, head(registry.address, repo, blob), blob + " went up");
      }
    }
  }

  @Test
  void aPushedManifestHasOnlyTheFieldsTheSpecDefines() throws Exception {
    CliRun.ok(store, "load", FixtureImages.shared().multistage.toString());
    try (RegistryProcess registry = RegistryProcess.start(registryDir)) {
      String repo = LocalServices.uniqueRepository("fields");
      CliRun.ok(store, "push", "gsping-fixture:multistage", registry.address + "/" + repo + ":multistage");
      JsonNode pushed = JSON.readTree(LocalServices.manifestBytes(registry.address, repo, "multistage"));
      List<String> fields = new ArrayList<>();
      pushed.fieldNames().forEachRemaining(fields::add);
      assertEquals(List.of("schemaVersion", "mediaType", "config", "layers"), fields);
      for (JsonNode d : List.of(pushed.get("config"), pushed.get("layers").get(0))) {
        List<String> descriptorFields = new ArrayList<>();
        d.fieldNames().forEachRemaining(descriptorFields::add);
        assertEquals(Set.of("mediaType", "size", "digest"), Set.copyOf(descriptorFields));
      }
    }
  }

  private static int head(String registry, String repo, String digest) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://" + registry + "/v2/" + repo + "/blobs/" + digest))
        .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}
