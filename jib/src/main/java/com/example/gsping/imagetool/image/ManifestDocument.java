package com.example.gsping.imagetool.image;

import com.example.gsping.imagetool.image.StreamingJson.Field;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;
import java.util.List;

/**
 * An image manifest or an image index (OCI or Docker v2 schema 2): the fields of both, so one
 * parse serves either; {@link #isIndex} tells which.
 */
@JsonPropertyOrder({"schemaVersion", "mediaType", "config", "layers", "manifests"})
public record ManifestDocument(
    int schemaVersion,
    String mediaType,
    Descriptor config,
    List<Descriptor> layers,
    List<Descriptor> manifests) {

  private static final Field<Integer> SCHEMA_VERSION = new Field<>("schemaVersion", StreamingJson::intNumber);
  private static final Field<String> MEDIA_TYPE = new Field<>("mediaType", StreamingJson::string);
  private static final Field<Descriptor> CONFIG = new Field<>("config", Descriptor::read);
  private static final Field<List<Descriptor>> LAYERS = new Field<>("layers", StreamingJson.listOf(Descriptor::read));
  private static final Field<List<Descriptor>> MANIFESTS = new Field<>("manifests", StreamingJson.listOf(Descriptor::read));
  private static final List<Field<?>> FIELDS = List.of(SCHEMA_VERSION, MEDIA_TYPE, CONFIG, LAYERS, MANIFESTS);

  private static ManifestDocument read(JsonParser p) throws IOException {
    StreamingJson.Fields f = StreamingJson.object(p, FIELDS);
    return f == null ? null : new ManifestDocument(f.getInt(SCHEMA_VERSION), f.get(MEDIA_TYPE),
        f.get(CONFIG), f.get(LAYERS), f.get(MANIFESTS));
  }

  public static ManifestDocument parse(byte[] json, String what) {
    ManifestDocument doc;
    try {
      doc = StreamingJson.read(json, ManifestDocument::read);
    } catch (IOException e) {
      throw new ImageFormatException(what + " is not a manifest: " + StreamingJson.firstLine(e));
    }
    if (doc == null || doc.schemaVersion != 2 || (doc.config == null && doc.manifests == null)) {
      throw new ImageFormatException(
          what + " is not a schema 2 image manifest or index (schemaVersion " + (doc == null ? "missing" : doc.schemaVersion) + ")");
    }
    if (doc.config != null) {
      requireValid(doc.config, what, "config");
    }
    doc.layersOrEmpty().forEach(d -> requireValid(d, what, "layer"));
    if (doc.manifests != null) {
      doc.manifests.forEach(d -> requireValid(d, what, "manifest"));
    }
    return doc;
  }

  /** A descriptor the tool can follow: a sha256 digest (which also names a file in a store) and a size. */
  private static void requireValid(Descriptor d, String what, String role) {
    if (d == null || !Digests.isSha256(d.digest()) || d.size() < 0) {
      throw new ImageFormatException(what + " has an invalid " + role + " descriptor"
          + (d == null ? " (null)" : " (digest " + d.digest() + ", size " + d.size() + ")"));
    }
  }

  /** An OCI image manifest: what the local store (an OCI image layout) records for loaded images. */
  public static ManifestDocument oci(Descriptor config, List<Descriptor> layers) {
    return new ManifestDocument(2, MediaTypes.OCI_MANIFEST, config, layers, null);
  }

  /** A Docker v2 schema 2 manifest, which every registry accepts. */
  public static ManifestDocument docker(Descriptor config, List<Descriptor> layers) {
    return new ManifestDocument(2, MediaTypes.DOCKER_MANIFEST, config, layers, null);
  }

  /** Not a field: without {@code @JsonIgnore} databind writes it as a stray {@code "index":false} into every manifest. */
  @JsonIgnore
  public boolean isIndex() {
    return manifests != null && config == null;
  }

  public List<Descriptor> layersOrEmpty() {
    return layers == null ? List.of() : layers;
  }
}
