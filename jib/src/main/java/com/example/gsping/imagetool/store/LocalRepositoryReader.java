package com.example.gsping.imagetool.store;

import com.example.gsping.imagetool.image.Descriptor;
import com.example.gsping.imagetool.image.Digests;
import com.example.gsping.imagetool.image.ImageFormatException;
import com.example.gsping.imagetool.image.ImageNotFoundException;
import com.example.gsping.imagetool.image.ImageReader;
import com.example.gsping.imagetool.image.RawManifest;
import java.io.IOException;
import java.io.InputStream;

/** Reads one repository's images from the local store (call inside a store lock). */
public final class LocalRepositoryReader implements ImageReader {
  private final OciImageStore store;
  private final String repository;

  public LocalRepositoryReader(OciImageStore store, String repository) {
    this.store = store;
    this.repository = repository;
  }

  /** A damaged or missing manifest fails in one line naming the image and the digest. */
  @Override
  public RawManifest manifest(String tagOrDigest) throws IOException {
    Descriptor entry;
    if (Digests.isSha256(tagOrDigest)) {
      if (!store.hasBlob(tagOrDigest)) {
        throw new ImageNotFoundException("No such image: " + displayName(tagOrDigest));
      }
      entry = new Descriptor(null, -1, tagOrDigest);
    } else {
      String name = repository + ":" + tagOrDigest;
      entry = store.index().find(name).orElseThrow(() -> new ImageNotFoundException("No such image: " + name));
    }
    try {
      return store.readManifest(entry.digest(), entry.mediaType());
    } catch (ImageFormatException e) {
      throw new ImageFormatException(displayName(tagOrDigest) + ": " + e.getMessage());
    }
  }

  @Override
  public InputStream openBlob(Descriptor blob) throws IOException {
    return store.openBlob(blob.digest());
  }

  @Override
  public void checkBlob(Descriptor blob) throws IOException {
    if (!store.hasBlob(blob.digest())) {
      throw new ImageFormatException("blob " + blob.digest() + " is missing from image store " + store.root());
    }
    String actual = OciImageStore.contentDigest(store.blobPath(blob.digest()));
    if (!actual.equals(blob.digest())) {
      throw new ImageFormatException("blob " + blob.digest() + " is damaged (content " + actual + ")");
    }
  }

  @Override
  public String displayName(String tagOrDigest) {
    return repository + (Digests.isSha256(tagOrDigest) ? "@" : ":") + tagOrDigest;
  }
}
