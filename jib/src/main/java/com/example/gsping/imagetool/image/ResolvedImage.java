package com.example.gsping.imagetool.image;

import java.util.ArrayList;
import java.util.List;

/**
 * One image, fully read: the manifest a tag points to (which may be an index), the
 * platform manifest chosen from it, the image config and the platform (the index entry's, else
 * the config's).
 */
public record ResolvedImage(
    String name,
    RawManifest pointedTo,
    RawManifest manifest,
    ManifestDocument manifestDocument,
    byte[] configBytes,
    ImageConfig config,
    TargetPlatform platform) {

  /** Whether the image is one platform of an index (the index is {@link #pointedTo}). */
  public boolean fromIndex() {
    return !pointedTo.digest().equals(manifest.digest());
  }

  /** The name, with the platform when there are others: {@code app:latest (linux/arm64)}. */
  public String label() {
    return fromIndex() ? name + " (" + platform + ")" : name;
  }

  /** Docker's image ID: the config's digest. */
  public String imageId() {
    return manifestDocument.config().digest();
  }

  /** The layers base first, each with its uncompressed digest (diff_id) from the config. */
  public List<ImageLayer> layers() {
    List<Descriptor> descriptors = manifestDocument.layersOrEmpty();
    List<String> diffIds = config.diffIds();
    if (descriptors.size() != diffIds.size()) {
      throw new ImageFormatException(
          name + ": manifest lists " + descriptors.size() + " layers but the config has " + diffIds.size() + " diff_ids");
    }
    List<ImageLayer> layers = new ArrayList<>();
    for (int i = 0; i < descriptors.size(); i++) {
      layers.add(new ImageLayer(i, descriptors.get(i), diffIds.get(i)));
    }
    return layers;
  }

  /** A layer as stored (compressed descriptor) and as applied (diff_id). */
  public record ImageLayer(int index, Descriptor blob, String diffId) {}
}
