package com.example.gsping.imagetool.image;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Reads complete images through an {@link ImageReader}: the manifest a tag or digest names and,
 * when that is an index (OCI image index or Docker manifest list), its platforms' manifests; then
 * each image's config, fetched and verified.
 */
public final class ImageResolver {
  private static final int MAX_CONFIG_BYTES = 4 * 1024 * 1024;
  private static final int MAX_INDEX_DEPTH = 4;
  /** BuildKit's provenance/SBOM entries (platform unknown/unknown) are not images to run. */
  private static final String REFERENCE_TYPE = "vnd.docker.reference.type";

  private ImageResolver() {}

  /**
   * One image: of an index, the entry for {@code wanted}, or without one for this machine's
   * platform ({@link TargetPlatform#host}); a single image must be of {@code wanted} when given.
   */
  public static ResolvedImage resolve(ImageReader reader, String tagOrDigest, TargetPlatform wanted) throws IOException {
    String name = reader.displayName(tagOrDigest);
    RawManifest top = reader.manifest(tagOrDigest);
    RawManifest manifest = top;
    ManifestDocument doc = manifest.document();
    TargetPlatform platform = null;
    TargetPlatform looked = wanted != null ? wanted : TargetPlatform.host();
    for (int depth = 0; doc.isIndex(); depth++) {
      List<Descriptor> entries = imageEntries(name, doc, depth);
      // an entry that names no platform (a nested index, or an image that does not say) is taken when none matches
      Descriptor chosen = entries.stream().filter(d -> platformOf(d) != null && looked.matches(platformOf(d))).findFirst()
          .or(() -> entries.stream().filter(d -> platformOf(d) == null).findFirst())
          .orElseThrow(() -> new PlatformNotFoundException(name + " has no " + looked + " image"
              + (wanted == null ? " (this machine's platform)" : "") + "; its index has "
              + entries.stream().map(d -> String.valueOf(platformOf(d))).collect(Collectors.joining(", "))
              + (wanted == null ? ": choose one with --platform" : "")));
      platform = platformOf(chosen);
      manifest = child(reader, name, chosen);
      doc = manifest.document();
    }
    ResolvedImage image = withConfig(reader, name, top, manifest, doc, platform);
    if (wanted != null && !wanted.matches(image.platform())) {
      throw new PlatformNotFoundException(name + " is a " + image.platform() + " image, not " + wanted);
    }
    return image;
  }

  /** Every platform's image: the image itself, or each image entry of an index (nested ones flattened). */
  public static List<ResolvedImage> resolveAll(ImageReader reader, String tagOrDigest) throws IOException {
    String name = reader.displayName(tagOrDigest);
    RawManifest top = reader.manifest(tagOrDigest);
    List<ResolvedImage> out = new ArrayList<>();
    collect(reader, name, top, top, null, 0, out);
    return out;
  }

  private static void collect(ImageReader reader, String name, RawManifest top, RawManifest manifest, TargetPlatform platform,
      int depth, List<ResolvedImage> out) throws IOException {
    ManifestDocument doc = manifest.document();
    if (!doc.isIndex()) {
      out.add(withConfig(reader, name, top, manifest, doc, platform));
      return;
    }
    for (Descriptor entry : imageEntries(name, doc, depth)) {
      collect(reader, name, top, child(reader, name, entry), platformOf(entry), depth + 1, out);
    }
  }

  private static List<Descriptor> imageEntries(String name, ManifestDocument index, int depth) {
    if (depth >= MAX_INDEX_DEPTH) {
      throw new ImageFormatException(name + ": image indexes nested too deeply");
    }
    List<Descriptor> entries = index.manifests().stream().filter(d -> d.annotation(REFERENCE_TYPE) == null).toList();
    if (entries.isEmpty()) {
      throw new ImageFormatException(name + ": image index lists no image manifests");
    }
    return entries;
  }

  private static TargetPlatform platformOf(Descriptor entry) {
    Descriptor.Platform p = entry.platform();
    return p == null ? null : TargetPlatform.of(p.os(), p.architecture(), p.variant());
  }

  private static RawManifest child(ImageReader reader, String name, Descriptor entry) throws IOException {
    try {
      return reader.manifest(entry.digest());
    } catch (ImageNotFoundException e) {
      TargetPlatform platform = platformOf(entry);
      throw new ImageFormatException(name + ": its index's " + (platform == null ? "" : platform + " ") + "manifest "
          + entry.digest() + " is missing");
    }
  }

  private static ResolvedImage withConfig(ImageReader reader, String name, RawManifest top, RawManifest manifest,
      ManifestDocument doc, TargetPlatform fromIndex) throws IOException {
    if (doc.config() == null) {
      throw new ImageFormatException(name + ": manifest " + manifest.digest() + " has no config");
    }
    byte[] configBytes = readBlob(reader, doc.config(), MAX_CONFIG_BYTES);
    String actual = Digests.sha256(configBytes);
    if (!actual.equals(doc.config().digest())) {
      throw new ImageFormatException(name + ": config blob digest " + actual + " does not match " + doc.config().digest());
    }
    ImageConfig config = ImageConfig.parse(configBytes, name + " config");
    TargetPlatform platform = fromIndex != null ? fromIndex : TargetPlatform.of(config.os(), config.architecture(), config.variant());
    return new ResolvedImage(name, top, manifest, doc, configBytes, config, platform);
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
