package com.example.gsping.imagetool.layer;

import com.example.gsping.imagetool.image.Digests;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.OptionalLong;

/**
 * Remembers each layer's Docker size by blob digest, so listing an image does not decompress
 * its layers again. Content-addressed, hence never stale; one small file per layer, written to
 * a temp file and renamed into place.
 */
public final class LayerSizeCache {
  private final Path dir;

  public LayerSizeCache(Path dir) {
    this.dir = dir;
  }

  public OptionalLong get(String digest) {
    Path file = dir.resolve(Digests.hex(digest));
    try {
      return OptionalLong.of(Long.parseLong(Files.readString(file, StandardCharsets.US_ASCII).trim()));
    } catch (IOException | NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  public void put(String digest, long size) {
    try {
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, ".size-", ".tmp");
      Files.writeString(tmp, Long.toString(size), StandardCharsets.US_ASCII);
      Files.move(tmp, dir.resolve(Digests.hex(digest)), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      // Only a cache: a read-only or full store must not fail a listing.
    }
  }
}
