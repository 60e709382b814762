package com.example.gsping.imagetool.image;

import com.example.gsping.imagetool.image.StreamingJson.Field;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/** An OCI content descriptor: what a manifest or index says about one blob. */
@JsonPropertyOrder({"mediaType", "size", "digest", "annotations", "platform"})
public record Descriptor(
    String mediaType, long size, String digest, Map<String, String> annotations, Platform platform) {

  public static final String REF_NAME = "org.opencontainers.image.ref.name";

  private static final Field<String> MEDIA_TYPE = new Field<>("mediaType", StreamingJson::string);
  private static final Field<Long> SIZE = new Field<>("size", StreamingJson::longNumber);
  private static final Field<String> DIGEST = new Field<>("digest", StreamingJson::string);
  private static final Field<Map<String, String>> ANNOTATIONS = new Field<>("annotations", StreamingJson::stringMap);
  private static final Field<Platform> PLATFORM = new Field<>("platform", Platform::read);
  private static final List<Field<?>> FIELDS = List.of(MEDIA_TYPE, SIZE, DIGEST, ANNOTATIONS, PLATFORM);

  /** The descriptor at the parser's current token; null for a JSON null. */
  public static Descriptor read(JsonParser p) throws IOException {
    StreamingJson.Fields f = StreamingJson.object(p, FIELDS);
    return f == null ? null
        : new Descriptor(f.get(MEDIA_TYPE), f.getLong(SIZE), f.get(DIGEST), f.get(ANNOTATIONS), f.get(PLATFORM));
  }

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
  public record Platform(String architecture, String os, String variant) {
    private static final Field<String> ARCHITECTURE = new Field<>("architecture", StreamingJson::string);
    private static final Field<String> OS = new Field<>("os", StreamingJson::string);
    private static final Field<String> VARIANT = new Field<>("variant", StreamingJson::string);
    private static final List<Field<?>> FIELDS = List.of(ARCHITECTURE, OS, VARIANT);

    static Platform read(JsonParser p) throws IOException {
      StreamingJson.Fields f = StreamingJson.object(p, FIELDS);
      return f == null ? null : new Platform(f.get(ARCHITECTURE), f.get(OS), f.get(VARIANT));
    }
  }
}
