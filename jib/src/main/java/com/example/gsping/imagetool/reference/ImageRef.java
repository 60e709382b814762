package com.example.gsping.imagetool.reference;

import com.example.gsping.imagetool.ImageToolException;
import com.google.cloud.tools.jib.api.ImageReference;
import java.util.Optional;

/**
 * An image reference as typed: {@code [HOST[:PORT]/]REPOSITORY[:TAG][@DIGEST]}.
 *
 * <p>Docker's rule decides where the image lives: the first path component is a registry host
 * when it contains '.' or ':' or is {@code localhost}; then the image is in that registry,
 * otherwise in the local store. jib-core's {@link ImageReference} validates the parts, but it
 * maps host-less names to Docker Hub ({@code registry-1.docker.io/library/...}) and does not say
 * whether a host was written, so the split itself is done here.
 */
public record ImageRef(String registry, String repository, String tag, String digest) {

  public static final String DEFAULT_TAG = "latest";

  public static ImageRef parse(String text) {
    if (text == null || text.isBlank()) {
      throw new ImageToolException("empty image reference");
    }
    String rest = text;
    String digest = null;
    int at = rest.indexOf('@');
    if (at >= 0) {
      digest = rest.substring(at + 1);
      rest = rest.substring(0, at);
      if (!ImageReference.isValidDigest(digest)) {
        throw invalid(text, "bad digest '" + digest + "'");
      }
    }
    String registry = null;
    int slash = rest.indexOf('/');
    if (slash > 0) {
      String first = rest.substring(0, slash);
      if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
        registry = first;
        rest = rest.substring(slash + 1);
        if (!ImageReference.isValidRegistry(registry)) {
          throw invalid(text, "bad registry host '" + registry + "'");
        }
      }
    }
    String tag = null;
    int colon = rest.lastIndexOf(':');
    if (colon > rest.lastIndexOf('/')) {
      tag = rest.substring(colon + 1);
      rest = rest.substring(0, colon);
      if (!ImageReference.isValidTag(tag)) {
        throw invalid(text, "bad tag '" + tag + "'");
      }
    }
    if (!ImageReference.isValidRepository(rest)) {
      throw invalid(text, "bad repository name '" + rest + "' (lowercase letters, digits, '.', '_', '-', '/')");
    }
    if (tag == null && digest == null) {
      tag = DEFAULT_TAG;
    }
    return new ImageRef(registry, rest, tag, digest);
  }

  private static ImageToolException invalid(String text, String why) {
    return new ImageToolException("invalid reference format '" + text + "': " + why);
  }

  public boolean inRegistry() {
    return registry != null;
  }

  public Optional<String> digestOpt() {
    return Optional.ofNullable(digest);
  }

  /** What to ask a registry for: the digest when given, else the tag. */
  public String reference() {
    return digest != null ? digest : tag;
  }

  /** {@code REPOSITORY:TAG} as the local store names images (the index.json ref.name). */
  public String localName() {
    return repository + ":" + tag;
  }

  public ImageRef withTag(String newTag) {
    return new ImageRef(registry, repository, newTag, null);
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder();
    if (registry != null) {
      s.append(registry).append('/');
    }
    s.append(repository);
    if (tag != null) {
      s.append(':').append(tag);
    }
    if (digest != null) {
      s.append('@').append(digest);
    }
    return s.toString();
  }
}
