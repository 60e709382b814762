package com.example.gsping.imagetool.tarball;

import com.example.gsping.imagetool.ImageToolException;
import com.example.gsping.imagetool.reference.ImageRef;

/** Turns the names found in tarballs into the store's {@code REPOSITORY:TAG} form. */
final class ImageNames {
  private ImageNames() {}

  /** Docker's familiar form: {@code docker.io/library/x:t} is stored as {@code x:t}. */
  static String familiar(String name) {
    String n = name;
    if (n.startsWith("docker.io/")) {
      n = n.substring("docker.io/".length());
      if (n.startsWith("library/") && n.indexOf('/', "library/".length()) < 0) {
        n = n.substring("library/".length());
      }
    }
    try {
      ImageRef ref = ImageRef.parse(n);
      if (ref.digest() != null) {
        return null;
      }
      return (ref.registry() == null ? "" : ref.registry() + "/") + ref.localName();
    } catch (ImageToolException e) {
      return null;
    }
  }
}
