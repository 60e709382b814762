package com.example.gsping.imagetool.store;

import com.example.gsping.imagetool.image.Digests;
import com.example.gsping.imagetool.image.ImageFormatException;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.function.Consumer;

/**
 * A blob being written: bytes go to a temp file inside the store (same file system), hashed on
 * the way; {@link #commit} checks the digest, syncs, and renames the file into blobs/sha256/
 * (also over a blob already there, which repairs one damaged since it was written).
 * Until then nothing under blobs/ changes; {@link #close} without commit removes the temp file.
 */
public final class StagedBlob implements AutoCloseable {
  private final Path tmp;
  private final Path blobsDir;
  private final Consumer<String> onAdded;
  private final FileChannel channel;
  private final MessageDigest sha256 = Digests.newSha256();
  private final OutputStream out;
  private long size;
  private boolean done;

  StagedBlob(Path tmpDir, Path blobsDir, Consumer<String> onAdded) throws IOException {
    this.tmp = OciImageStore.createReadableTempFile(tmpDir, "blob-");
    this.blobsDir = blobsDir;
    this.onAdded = onAdded;
    this.channel = FileChannel.open(tmp, StandardOpenOption.WRITE);
    OutputStream file = java.nio.channels.Channels.newOutputStream(channel);
    this.out =
        new FilterOutputStream(new BufferedOutputStream(new DigestOutputStream(file, sha256), 64 * 1024)) {
          @Override
          public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            size += len;
          }

          @Override
          public void write(int b) throws IOException {
            out.write(b);
            size++;
          }

          @Override
          public void close() {
            // closed by StagedBlob
          }
        };
  }

  /** Where to write the blob's bytes. */
  public OutputStream output() {
    return out;
  }

  /** Finishes the blob; {@code expectedDigest} may be null when the content defines it. */
  public String commit(String expectedDigest) throws IOException {
    out.flush();
    String digest = Digests.of(sha256);
    if (expectedDigest != null && !expectedDigest.equals(digest)) {
      throw new ImageFormatException("blob content has digest " + digest + ", expected " + expectedDigest);
    }
    channel.force(true);
    channel.close();
    Path target = blobsDir.resolve(Digests.hex(digest));
    boolean added = !Files.exists(target);
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    done = true;
    if (added) {
      onAdded.accept(digest);
    }
    return digest;
  }

  public long size() {
    return size;
  }

  @Override
  public void close() throws IOException {
    if (!done) {
      channel.close();
      Files.deleteIfExists(tmp);
    }
  }
}
