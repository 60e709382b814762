package com.example.gsping.imagetool.image;

import java.io.IOException;
import java.io.InputStream;

/** Read access to one repository's manifests and blobs, in the local store or a registry. */
public interface ImageReader {

  /** The manifest or index a tag or digest points to; throws if there is none. */
  RawManifest manifest(String tagOrDigest) throws IOException;

  /** The content of a blob named by a descriptor of one of this repository's manifests. */
  InputStream openBlob(Descriptor blob) throws IOException;

  /**
   * Fails, naming the digest, unless the blob is there with the content its digest names; for
   * {@code push}, before anything is sent. A registry's blobs need no such check: they are
   * verified as they stream.
   */
  default void checkBlob(Descriptor blob) throws IOException {}

  /** How to name an image of this repository in messages, e.g. {@code 127.0.0.1:5000/app:v1}. */
  String displayName(String tagOrDigest);
}
