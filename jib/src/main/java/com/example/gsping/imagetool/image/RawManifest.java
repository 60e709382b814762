package com.example.gsping.imagetool.image;

/**
 * A manifest exactly as stored or served. Retagging and pushing re-send these bytes untouched,
 * so the digest never changes (re-serializing a parsed manifest could reorder fields).
 */
public record RawManifest(byte[] bytes, String mediaType, String digest) {

  public static RawManifest of(byte[] bytes, String mediaTypeHint) {
    ManifestDocument doc = ManifestDocument.parse(bytes, "manifest");
    String type = doc.mediaType() != null ? doc.mediaType() : mediaTypeHint;
    if (type == null) {
      type = doc.isIndex() ? MediaTypes.OCI_INDEX : MediaTypes.OCI_MANIFEST;
    }
    return new RawManifest(bytes, type, Digests.sha256(bytes));
  }

  public ManifestDocument document() {
    return ManifestDocument.parse(bytes, "manifest " + digest);
  }

  public Descriptor descriptor() {
    return new Descriptor(mediaType, bytes.length, digest);
  }
}
