package com.example.gsping.imagetool.layer;

import com.example.gsping.imagetool.image.Descriptor;
import com.example.gsping.imagetool.image.ImageReader;
import java.io.IOException;
import java.io.InputStream;
import java.util.OptionalLong;

/** Docker's uncompressed size of a layer blob: from the cache, else by reading the blob once. */
public final class LayerSizes {
  private final LayerSizeCache cache;

  public LayerSizes(LayerSizeCache cache) {
    this.cache = cache;
  }

  public long of(Descriptor layer, ImageReader reader) throws IOException {
    OptionalLong cached = cache.get(layer.digest());
    if (cached.isPresent()) {
      return cached.getAsLong();
    }
    long size;
    try (InputStream blob = reader.openBlob(layer);
        InputStream tar = LayerCompression.openUncompressed(blob, "layer " + layer.digest())) {
      size = DockerLayerSize.of(tar);
    }
    cache.put(layer.digest(), size);
    return size;
  }

  public LayerSizeCache cache() {
    return cache;
  }
}
