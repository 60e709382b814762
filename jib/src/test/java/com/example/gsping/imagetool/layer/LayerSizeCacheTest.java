package com.example.gsping.imagetool.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.example.gsping.imagetool.image.Digests;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The size cache's files are store files like the blobs: readable by all, and never half-written. */
class LayerSizeCacheTest {
  private static final String DIGEST = Digests.sha256(new byte[] {42});

  @TempDir Path dir;

  @Test
  void cacheFilesAreReadableByAllLikeBlobs() throws Exception {
    new LayerSizeCache(dir).put(DIGEST, 1234);
    assertEquals(OptionalLong.of(1234), new LayerSizeCache(dir).get(DIGEST));
    assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(Digests.hex(DIGEST)))));
  }

  @Test
  void aCacheWriteThatFailsLeavesNoTempFile() throws Exception {
    Files.createDirectories(dir.resolve(Digests.hex(DIGEST)).resolve("in-the-way")); // the rename cannot replace it
    new LayerSizeCache(dir).put(DIGEST, 1234);
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of(Digests.hex(DIGEST)), files.map(p -> p.getFileName().toString()).toList());
    }
  }
}
