package com.example.gsping.imagetool.layer;

import com.example.gsping.imagetool.image.Digests;
import com.example.gsping.imagetool.store.OciImageStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.OptionalLong;

/**
 * Remembers each layer's Docker size by blob digest, so listing an image does not decompress
 * its layers again. Content-addressed, hence never stale; one small file per layer, written to
 * a temp file and renamed into place, readable by all like the blobs (rw-r--r--).
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
    if (get(digest).equals(OptionalLong.of(size))) {
      return; // a store that was only read stays byte for byte as it was
    }
    Path tmp = null;
    try {
      if (!Files.isDirectory(dir)) {
        Files.createDirectory(dir); // not its parent: a layout no imagetool wrote to (skopeo's, umoci's) gets no files from reading
      }
      tmp = OciImageStore.createReadableTempFile(dir, ".size-");
      Files.writeString(tmp, Long.toString(size), StandardCharsets.US_ASCII);
      Files.move(tmp, dir.resolve(Digests.hex(digest)), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      // Only a cache: a read-only or full store must not fail a listing, nor keep a half-written file.
      deleteQuietly(tmp);
    }
  }

  /** Forgets a layer whose blob a failed write removed again. */
  public void remove(String digest) {
    deleteQuietly(dir.resolve(Digests.hex(digest)));
  }

  private static void deleteQuietly(Path file) {
    try {
      if (file != null) {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      // nothing more to do: a cache entry or temp file, never read as a size
    }
  }
}
