package com.example.gsping.imagetool.layer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * The size Docker reports for a layer, computed from the uncompressed layer tar.
 *
 * <p>Docker (20.10, overlay2) measures the extracted layer directory: it walks it with lstat and
 * adds the size of every entry that is not a directory, counting each inode once. Checked on
 * this machine's daemon with {@code docker import} of a tar holding a 1000-byte file, a hard
 * link to it, a 1-byte file, an empty file and a symlink to a 26-character path: Docker said
 * 1027 bytes. So: regular files once per inode (hard links add nothing), plus each symlink's
 * target length (lstat size of a symlink), directories and whiteouts nothing; the tar's own
 * length (headers, padding) plays no part. A path written twice in one tar counts once.
 */
public final class DockerLayerSize {
  private DockerLayerSize() {}

  /** Reads the whole tar stream (to its end) and returns Docker's size for it. */
  public static long of(InputStream uncompressedTar) throws IOException {
    Map<String, Long> sizeByPath = new HashMap<>();
    TarArchiveInputStream tar = new TarArchiveInputStream(uncompressedTar);
    TarArchiveEntry entry;
    while ((entry = tar.getNextEntry()) != null) {
      String path = normalize(entry.getName());
      if (entry.isDirectory() || entry.isLink()) {
        // A hard link shares its target's inode, already counted.
        sizeByPath.remove(path);
      } else if (entry.isSymbolicLink()) {
        sizeByPath.put(path, (long) entry.getLinkName().getBytes(StandardCharsets.UTF_8).length);
      } else if (entry.isFile()) {
        sizeByPath.put(path, entry.getSize());
      } else {
        sizeByPath.put(path, 0L); // devices, fifos, whiteouts: lstat size 0
      }
    }
    uncompressedTar.transferTo(OutputStreamSink.INSTANCE); // trailing zero blocks
    return sizeByPath.values().stream().mapToLong(Long::longValue).sum();
  }

  private static String normalize(String name) {
    String n = name;
    while (n.startsWith("./")) {
      n = n.substring(2);
    }
    while (n.startsWith("/")) {
      n = n.substring(1);
    }
    while (n.endsWith("/")) {
      n = n.substring(0, n.length() - 1);
    }
    return n;
  }

  private static final class OutputStreamSink extends java.io.OutputStream {
    static final OutputStreamSink INSTANCE = new OutputStreamSink();

    @Override
    public void write(int b) {}

    @Override
    public void write(byte[] b, int off, int len) {}
  }
}
