package com.example.gsping.imagetool.layer;

import com.example.gsping.imagetool.image.Descriptor;
import com.example.gsping.imagetool.image.ImageReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Docker's uncompressed size of a layer blob: from the cache, else by reading the blob once, to
 * its end, so that a registry's blob is verified against its digest before its size is cached.
 */
public final class LayerSizes {
  private final LayerSizeCache cache;
  private final Map<String, Long> measured = new ConcurrentHashMap<>(); // ls measures in parallel

  public LayerSizes(LayerSizeCache cache) {
    this.cache = cache;
  }

  public long of(Descriptor layer, ImageReader reader) throws IOException {
    OptionalLong cached = cache.get(layer.digest());
    if (cached.isPresent()) {
      return cached.getAsLong();
    }
    Long known = measured.get(layer.digest());
    if (known != null) {
      return known;
    }
    long size;
    try (InputStream blob = reader.openBlob(layer);
        InputStream tar = LayerCompression.openUncompressed(blob, "layer " + layer.digest())) {
      size = DockerLayerSize.of(tar);
      // to the blob's very end: a reader that verifies the blob (a registry's) does so there, before the size is kept
      blob.transferTo(OutputStream.nullOutputStream());
    }
    measured.put(layer.digest(), size);
    return size;
  }

  /** Caches what this command measured; called once it succeeded, so a failed command leaves the cache as it was. */
  public void keep() {
    measured.forEach(cache::put);
  }
}
