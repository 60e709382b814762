package com.example.gsping.imagetool.layer;

import com.example.gsping.imagetool.image.ImageFormatException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/** Tells gzip, zstd and plain tar layers apart by their first bytes, and opens them as tar. */
public enum LayerCompression {
  NONE,
  GZIP,
  ZSTD;

  public static LayerCompression sniff(BufferedInputStream in) throws IOException {
    in.mark(4);
    byte[] head = in.readNBytes(4);
    in.reset();
    if (head.length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
      return GZIP;
    }
    if (head.length == 4 && (head[0] & 0xff) == 0x28 && (head[1] & 0xff) == 0xb5
        && (head[2] & 0xff) == 0x2f && (head[3] & 0xff) == 0xfd) {
      return ZSTD;
    }
    return NONE;
  }

  /** The layer as an uncompressed tar stream. */
  public static InputStream openUncompressed(InputStream blob, String what) throws IOException {
    BufferedInputStream in = new BufferedInputStream(blob, 64 * 1024);
    switch (sniff(in)) {
      case GZIP:
        return new GZIPInputStream(in, 64 * 1024);
      case ZSTD:
        throw new ImageFormatException(what + " is zstd-compressed, which this tool does not read");
      default:
        return in;
    }
  }
}
