package com.example.gsping.imagetool.image;

import com.example.gsping.imagetool.image.StreamingJson.Field;
import com.fasterxml.jackson.core.JsonParser;
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

  private static final Field<String> ARCHITECTURE = new Field<>("architecture", StreamingJson::string);
  private static final Field<String> OS = new Field<>("os", StreamingJson::string);
  private static final Field<String> VARIANT = new Field<>("variant", StreamingJson::string);
  private static final Field<String> CREATED = new Field<>("created", StreamingJson::string);
  private static final Field<RootFs> ROOTFS = new Field<>("rootfs", RootFs::read);
  private static final Field<List<HistoryEntry>> HISTORY = new Field<>("history", StreamingJson.listOf(HistoryEntry::read));
  private static final List<Field<?>> FIELDS = List.of(ARCHITECTURE, OS, VARIANT, CREATED, ROOTFS, HISTORY);

  private static ImageConfig read(JsonParser p) throws IOException {
    StreamingJson.Fields f = StreamingJson.object(p, FIELDS);
    return f == null ? null
        : new ImageConfig(f.get(ARCHITECTURE), f.get(OS), f.get(VARIANT), f.get(CREATED), f.get(ROOTFS), f.get(HISTORY));
  }

  public static ImageConfig parse(byte[] json, String what) {
    try {
      ImageConfig config = StreamingJson.read(json, ImageConfig::read);
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
      throw new ImageFormatException(what + " is not an image config: " + StreamingJson.firstLine(e));
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

  public record RootFs(String type, List<String> diffIds) {
    private static final Field<String> TYPE = new Field<>("type", StreamingJson::string);
    private static final Field<List<String>> DIFF_IDS = new Field<>("diff_ids", StreamingJson.listOf(StreamingJson::string));
    private static final List<Field<?>> FIELDS = List.of(TYPE, DIFF_IDS);

    static RootFs read(JsonParser p) throws IOException {
      StreamingJson.Fields f = StreamingJson.object(p, FIELDS);
      return f == null ? null : new RootFs(f.get(TYPE), f.get(DIFF_IDS));
    }
  }

  /** One config history entry; entries with {@code empty_layer} made no layer. */
  public record HistoryEntry(String created, String createdBy, String author, String comment, Boolean emptyLayer) {
    private static final Field<String> CREATED_BY = new Field<>("created_by", StreamingJson::string);
    private static final Field<String> AUTHOR = new Field<>("author", StreamingJson::string);
    private static final Field<String> COMMENT = new Field<>("comment", StreamingJson::string);
    private static final Field<Boolean> EMPTY_LAYER = new Field<>("empty_layer", StreamingJson::bool);
    private static final List<Field<?>> FIELDS = List.of(CREATED, CREATED_BY, AUTHOR, COMMENT, EMPTY_LAYER);

    static HistoryEntry read(JsonParser p) throws IOException {
      StreamingJson.Fields f = StreamingJson.object(p, FIELDS);
      return f == null ? null
          : new HistoryEntry(f.get(CREATED), f.get(CREATED_BY), f.get(AUTHOR), f.get(COMMENT), f.get(EMPTY_LAYER));
    }

    public boolean makesLayer() {
      return emptyLayer == null || !emptyLayer;
    }
  }
}
