package com.example.gsping.imagetool.image;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;

/**
 * A blob as its descriptor says it is: reading past the descriptor's size, or reaching the end
 * with fewer bytes or another digest, fails with one line naming the digest and the source, so
 * nothing derived from an unverified blob (a cached layer size, a comparison) is ever kept.
 * Whoever reads it must read it to its end ({@link #readToEnd} after a parser that stops early).
 */
public final class VerifiedBlobStream extends FilterInputStream {
  private final Descriptor blob;
  private final String source;
  private final MessageDigest sha256 = Digests.newSha256();
  private long count;
  private boolean verified;

  public VerifiedBlobStream(InputStream in, Descriptor blob, String source) {
    super(in);
    if (!Digests.isSha256(blob.digest())) {
      throw new ImageFormatException(source + ": unsupported blob digest " + blob.digest());
    }
    this.blob = blob;
    this.source = source;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    // one byte more than the descriptor allows is enough to tell an oversized blob
    int n = in.read(b, off, (int) Math.min(len, Math.max(1, blob.size() + 1 - count)));
    if (n < 0) {
      verify();
      return -1;
    }
    sha256.update(b, off, n);
    count += n;
    if (count > blob.size()) {
      throw new ImageFormatException(source + " sent more than the " + blob.size() + " bytes of blob " + blob.digest()
          + "; nothing of it was kept");
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    return read(new byte[(int) Math.min(n, 8192)]);
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  /** Reads what is left, which verifies the blob. */
  public void readToEnd() throws IOException {
    transferTo(OutputStream.nullOutputStream());
  }

  private void verify() {
    if (verified) {
      return;
    }
    String actual = Digests.of(sha256);
    if (count != blob.size() || !actual.equals(blob.digest())) {
      throw new ImageFormatException(source + " served blob " + blob.digest() + " with other content (" + count
          + " bytes, " + actual + "); nothing of it was kept");
    }
    verified = true;
  }
}
