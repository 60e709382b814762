package com.example.gsping.imagetool.image;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

/** The parts of an image config (application/vnd.oci.image.config.v1+json) the tool reads. */
public record ImageConfig(
    String architecture,
    String os,
    String variant,
    String created,
    RootFs rootfs,
    List<HistoryEntry> history) {

  public static ImageConfig parse(byte[] json, String what) {
    try {
      ImageConfig config = Json.MAPPER.readValue(json, ImageConfig.class);
      if (config == null || config.rootfs == null || config.rootfs.diffIds == null) {
        throw new ImageFormatException(what + " is not an image config: no rootfs.diff_ids");
      }
      if (!config.rootfs.diffIds.stream().allMatch(Digests::isSha256)) {
        throw new ImageFormatException(what + " is not an image config: a rootfs.diff_ids entry is not a sha256 digest");
      }
      if (config.history != null && config.history.contains(null)) {
        throw new ImageFormatException(what + " is not an image config: a history entry is null");
      }
      return config;
    } catch (IOException e) {
      throw new ImageFormatException(what + " is not an image config: " + Json.firstLine(e));
    }
  }

  public Optional<Instant> createdInstant() {
    if (created == null || created.isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.parse(created));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  public List<String> diffIds() {
    return rootfs.diffIds;
  }

  public List<HistoryEntry> historyOrEmpty() {
    return history == null ? List.of() : history;
  }

  public record RootFs(String type, @JsonProperty("diff_ids") List<String> diffIds) {}

  /** One config history entry; entries with {@code empty_layer} made no layer. */
  public record HistoryEntry(
      String created,
      @JsonProperty("created_by") String createdBy,
      String author,
      String comment,
      @JsonProperty("empty_layer") Boolean emptyLayer) {

    public boolean makesLayer() {
      return emptyLayer == null || !emptyLayer;
    }
  }
}
