package com.example.gsping.imagetool.registry;

import com.example.gsping.imagetool.image.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The distribution spec's error body: {@code {"errors":[{"code":"...","message":"..."}]}}. */
record RegistryErrorBody(List<Entry> errors) {

  record Entry(String code, String message) {}

  /** e.g. {@code MANIFEST_UNKNOWN manifest unknown}, or the raw body when it is not JSON. */
  static String describe(byte[] body) {
    try {
      RegistryErrorBody parsed = Json.read(body, RegistryErrorBody.class);
      if (parsed.errors != null && !parsed.errors.isEmpty()) {
        Entry e = parsed.errors.get(0);
        return oneLine((e == null || e.code == null ? "" : e.code + " ") + (e == null || e.message == null ? "" : e.message));
      }
    } catch (java.io.IOException | RuntimeException e) {
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
      RegistryErrorBody parsed = Json.read(body, RegistryErrorBody.class);
      return parsed.errors == null || parsed.errors.isEmpty() || parsed.errors.get(0) == null ? "" : parsed.errors.get(0).code;
    } catch (java.io.IOException | RuntimeException e) {
      return "";
    }
  }
}
