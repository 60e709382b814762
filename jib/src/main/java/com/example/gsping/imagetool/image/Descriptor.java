package com.example.gsping.imagetool.image;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Map;

/** An OCI content descriptor: what a manifest or index says about one blob. */
@JsonPropertyOrder({"mediaType", "size", "digest", "annotations", "platform"})
public record Descriptor(
    String mediaType, long size, String digest, Map<String, String> annotations, Platform platform) {

  public static final String REF_NAME = "org.opencontainers.image.ref.name";

  public Descriptor(String mediaType, long size, String digest) {
    this(mediaType, size, digest, null, null);
  }

  public String annotation(String key) {
    return annotations == null ? null : annotations.get(key);
  }

  public Descriptor withAnnotations(Map<String, String> newAnnotations) {
    return new Descriptor(mediaType, size, digest, newAnnotations, platform);
  }

  /** The platform an index entry is for. */
  public record Platform(String architecture, String os, String variant) {}
}
