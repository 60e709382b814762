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
        return (e.code == null ? "" : e.code + " ") + (e.message == null ? "" : e.message);
      }
    } catch (java.io.IOException | RuntimeException e) {
      // not JSON
    }
    String text = new String(body, StandardCharsets.UTF_8).strip();
    return text.length() > 200 ? text.substring(0, 200) + "..." : text;
  }

  static String code(byte[] body) {
    try {
      RegistryErrorBody parsed = Json.read(body, RegistryErrorBody.class);
      return parsed.errors == null || parsed.errors.isEmpty() ? "" : parsed.errors.get(0).code;
    } catch (java.io.IOException | RuntimeException e) {
      return "";
    }
  }
}
