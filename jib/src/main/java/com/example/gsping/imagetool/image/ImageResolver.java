package com.example.gsping.imagetool.image;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * Reads a complete image through an {@link ImageReader}: picks this machine's platform
 * (linux/amd64, else the first entry) out of an index, then fetches and verifies the config.
 */
public final class ImageResolver {
  private static final int MAX_CONFIG_BYTES = 4 * 1024 * 1024;

  private ImageResolver() {}

  public static ResolvedImage resolve(ImageReader reader, String tagOrDigest) throws IOException {
    String name = reader.displayName(tagOrDigest);
    RawManifest pointedTo = reader.manifest(tagOrDigest);
    RawManifest manifest = pointedTo;
    ManifestDocument doc = manifest.document();
    for (int depth = 0; doc.isIndex(); depth++) {
      if (depth > 4 || doc.manifests().isEmpty()) {
        throw new ImageFormatException(name + ": image index without a usable manifest");
      }
      Descriptor chosen = choosePlatform(doc.manifests());
      manifest = reader.manifest(chosen.digest());
      doc = manifest.document();
    }
    byte[] configBytes = readBlob(reader, doc.config(), MAX_CONFIG_BYTES);
    String actual = Digests.sha256(configBytes);
    if (!actual.equals(doc.config().digest())) {
      throw new ImageFormatException(name + ": config blob digest " + actual + " does not match " + doc.config().digest());
    }
    ImageConfig config = ImageConfig.parse(configBytes, name + " config");
    return new ResolvedImage(name, pointedTo, manifest, doc, configBytes, config);
  }

  static Descriptor choosePlatform(List<Descriptor> entries) {
    for (Descriptor d : entries) {
      if (d.platform() != null && "linux".equals(d.platform().os()) && "amd64".equals(d.platform().architecture())) {
        return d;
      }
    }
    return entries.get(0);
  }

  private static byte[] readBlob(ImageReader reader, Descriptor d, int max) throws IOException {
    if (d.size() > max) {
      throw new ImageFormatException("config blob " + d.digest() + " is " + d.size() + " bytes; refusing to read more than " + max);
    }
    try (InputStream in = reader.openBlob(d)) {
      return in.readNBytes(max);
    }
  }
}
