package com.example.gsping.imagetool.registry;

import com.example.gsping.imagetool.image.StreamingJson;
import com.example.gsping.imagetool.image.StreamingJson.Field;
import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The distribution spec's error body: {@code {"errors":[{"code":"...","message":"..."}]}}. */
record RegistryErrorBody(List<Entry> errors) {

  private static final Field<List<Entry>> ERRORS = new Field<>("errors", StreamingJson.listOf(Entry::read));

  record Entry(String code, String message) {
    private static final Field<String> CODE = new Field<>("code", StreamingJson::string);
    private static final Field<String> MESSAGE = new Field<>("message", StreamingJson::string);

    static Entry read(JsonParser p) throws IOException {
      StreamingJson.Fields f = StreamingJson.object(p, List.of(CODE, MESSAGE));
      return f == null ? null : new Entry(f.get(CODE), f.get(MESSAGE));
    }
  }

  private static RegistryErrorBody read(JsonParser p) throws IOException {
    StreamingJson.Fields f = StreamingJson.object(p, List.of(ERRORS));
    return f == null ? null : new RegistryErrorBody(f.get(ERRORS));
  }

  /** e.g. {@code MANIFEST_UNKNOWN manifest unknown}, or the raw body when it is not JSON. */
  static String describe(byte[] body) {
    try {
      RegistryErrorBody parsed = StreamingJson.read(body, RegistryErrorBody::read);
      if (parsed.errors != null && !parsed.errors.isEmpty()) {
        Entry e = parsed.errors.get(0);
        return oneLine((e == null || e.code == null ? "" : e.code + " ") + (e == null || e.message == null ? "" : e.message));
      }
    } catch (IOException | RuntimeException e) {
      // not JSON
    }
    return oneLine(new String(body, StandardCharsets.UTF_8));
  }

  /** A registry's words in a one-line message: control characters and line breaks become spaces. */
  private static String oneLine(String text) {
    String line = text.replaceAll("[\\p{Cntrl}\\s]+", " ").strip();
    return line.length() > 200 ? line.substring(0, 200) + "..." : line;
  }

  static String code(byte[] body) {
    try {
      RegistryErrorBody parsed = StreamingJson.read(body, RegistryErrorBody::read);
      return parsed.errors == null || parsed.errors.isEmpty() || parsed.errors.get(0) == null ? "" : parsed.errors.get(0).code;
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }
}
