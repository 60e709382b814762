package com.example.gsping.imagetool.registry;

import com.example.gsping.imagetool.image.ImageFormatException;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Reads a registry's response bodies bounded in size and time (see {@link GuardedBody}). */
final class ResponseBodies {
  private ResponseBodies() {}

  /**
   * At most {@code max} bytes of the body, then closes it. {@code strict}: a longer body is an
   * error (a document); otherwise the rest is dropped (a body only quoted in a message).
   */
  static byte[] read(HttpResponse<InputStream> r, int max, String what, Duration timeout, boolean strict) {
    try (InputStream in = new GuardedBody(r.body(), what, timeout, true)) {
      byte[] bytes = in.readNBytes(strict ? max + 1 : max);
      if (bytes.length > max) {
        throw new ImageFormatException(what + " is larger than " + max / 1024 + " KiB; not read further");
      }
      return bytes;
    } catch (IOException e) {
      throw NetworkFailures.describe(what, e);
    }
  }
}
