package com.example.gsping.imagetool.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The documents as the readers see them: what databind binding read before, and one line for what is wrong. */
class StreamingJsonTest {
  private static final String CONFIG_DIGEST = "sha256:" + "a".repeat(64);
  private static final String LAYER_DIGEST = "sha256:" + "b".repeat(64);

  private static byte[] json(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void manifestFieldsAreReadAndUnknownOnesSkipped() {
    ManifestDocument doc = ManifestDocument.parse(json("""
        {"schemaVersion": 2, "artifactType": {"nested": [1, {"deep": null}]},
         "mediaType": "application/vnd.oci.image.manifest.v1+json",
         "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "size": 1469, "digest": "%s"},
         "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "size": 28227259, "digest": "%s",
                     "urls": ["http://x"], "annotations": {"b": "2", "a": "1"}}],
         "annotations": {"org.opencontainers.image.created": "2025-01-01T00:00:00Z"}}
        """.formatted(CONFIG_DIGEST, LAYER_DIGEST)), "test manifest");
    assertEquals(2, doc.schemaVersion());
    assertEquals("application/vnd.oci.image.manifest.v1+json", doc.mediaType());
    assertEquals(new Descriptor("application/vnd.oci.image.config.v1+json", 1469, CONFIG_DIGEST), doc.config());
    assertEquals(1, doc.layers().size());
    assertEquals(28227259, doc.layers().get(0).size());
    assertEquals(List.of("b", "a"), List.copyOf(doc.layers().get(0).annotations().keySet()), "annotations keep their order");
    assertNull(doc.manifests());
    assertFalse(doc.isIndex());
  }

  @Test
  void indexEntriesKeepTheirPlatform() {
    ManifestDocument doc = ManifestDocument.parse(json("""
        {"schemaVersion": 2, "manifests": [
          {"mediaType": "m", "size": 1, "digest": "%s", "platform": {"os": "linux", "architecture": "arm64", "variant": "v8", "os.features": []}},
          {"mediaType": "m", "size": 2, "digest": "%s", "platform": null}]}
        """.formatted(CONFIG_DIGEST, LAYER_DIGEST)), "test index");
    assertTrue(doc.isIndex());
    assertEquals(new Descriptor.Platform("arm64", "linux", "v8"), doc.manifests().get(0).platform());
    assertNull(doc.manifests().get(1).platform());
  }

  @Test
  void configHistoryAndDiffIdsAreRead() {
    ImageConfig config = ImageConfig.parse(json("""
        {"architecture": "amd64", "os": "linux", "created": "1970-01-01T00:00:00Z", "config": {"Env": ["A=1"]},
         "rootfs": {"type": "layers", "diff_ids": ["%s"]},
         "history": [{"created_by": "jib", "empty_layer": true, "comment": "c"}, {"author": "me"}]}
        """.formatted(LAYER_DIGEST)), "test config");
    assertEquals(List.of(LAYER_DIGEST), config.diffIds());
    assertEquals("layers", config.rootfs().type());
    assertEquals(new ImageConfig.HistoryEntry(null, "jib", null, "c", true), config.history().get(0));
    assertFalse(config.history().get(0).makesLayer());
    assertTrue(config.history().get(1).makesLayer());
    assertEquals("me", config.history().get(1).author());
  }

  @Test
  void aMissingNumberIsZeroAndNullsAreNull() throws Exception {
    Descriptor d = StreamingJson.read(json("{\"digest\": null, \"mediaType\": \"m\"}"), Descriptor::read);
    assertEquals(new Descriptor("m", 0, null, null, null), d);
    assertNull(StreamingJson.read(json("null"), Descriptor::read));
    assertEquals(Arrays.asList("a", null), StreamingJson.read(json("[\"a\", null]"), StreamingJson.listOf(StreamingJson::string)));
    assertEquals(Map.of("k", "v"), StreamingJson.read(json("{\"k\": \"v\"}"), StreamingJson::stringMap));
  }

  @Test
  void wrongTypesAndBrokenJsonFailInOneLine() {
    assertOneLine("is not a manifest: expected an integer for \"size\", not a string",
        () -> ManifestDocument.parse(json("{\"schemaVersion\": 2, \"config\": {\"size\": \"12\"}}"), "m"));
    assertOneLine("is not a manifest: expected an array for \"layers\", not an object",
        () -> ManifestDocument.parse(json("{\"schemaVersion\": 2, \"layers\": {}}"), "m"));
    assertOneLine("is not an image config: expected an object, not an array", () -> ImageConfig.parse(json("[]"), "c"));
    assertOneLine("is not an image config: expected a boolean, not a number",
        () -> ImageConfig.parse(json("{\"history\": [{\"empty_layer\": 1}]}"), "c"));
    assertOneLine("is not a manifest: No content: the document is empty", () -> ManifestDocument.parse(json(""), "m"));
    assertOneLine("is not a manifest: Unexpected end-of-input", () -> ManifestDocument.parse(json("{\"schemaVersion\": 2,"), "m"));
    assertOneLine("is not a manifest: Numeric value (4294967298) out of range of int",
        () -> ManifestDocument.parse(json("{\"schemaVersion\": 4294967298}"), "m"));
    assertOneLine("is not valid JSON: ", () -> StreamingJson.parse(json("{\"a\": tru}"), Descriptor::read, "x"));
    assertOneLine("x is not a JSON object (null)", () -> StreamingJson.parse(json("null"), Descriptor::read, "x"));
  }

  @Test
  void nestingDeeperThanTheLimitFails() {
    String deep = "{\"schemaVersion\": 2, \"x\": " + "[".repeat(100) + "]".repeat(100) + "}";
    assertOneLine("is not a manifest: Document nesting depth (65) exceeds the maximum allowed (64",
        () -> ManifestDocument.parse(json(deep), "m"));
  }

  private static void assertOneLine(String expected, Runnable parse) {
    ImageFormatException e = assertThrows(ImageFormatException.class, parse::run);
    assertTrue(e.getMessage().contains(expected), e.getMessage());
    assertEquals(1, e.getMessage().lines().count(), e.getMessage());
  }
}
