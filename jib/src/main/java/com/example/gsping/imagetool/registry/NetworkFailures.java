package com.example.gsping.imagetool.registry;

import com.example.gsping.imagetool.ImageToolException;
import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/** Turns the HTTP client's I/O exceptions into one line naming the registry and the cause. */
final class NetworkFailures {
  /** How the JDK reports a connection the registry closed or reset mid-request (it stopped or crashed). */
  private static final Pattern CONNECTION_LOST =
      Pattern.compile("Connection reset|Broken pipe|received no bytes|connection closed", Pattern.CASE_INSENSITIVE);

  private NetworkFailures() {}

  static ImageToolException describe(String what, IOException e) {
    String detail = deepestMessage(e);
    // before the ConnectException test: the JDK also wraps a reset that comes right after the connection was
    // accepted in a ConnectException, yet that registry was reached, then lost
    if (find(e, EOFException.class) != null || (detail != null && CONNECTION_LOST.matcher(detail).find())) {
      return new ImageToolException(what + ": connection lost before it answered (" + detail + ")", e);
    }
    if (find(e, ConnectException.class) != null) {
      return new ImageToolException(what + " unreachable: " + (detail == null ? "Connection refused" : detail), e);
    }
    if (find(e, UnknownHostException.class) != null) {
      return new ImageToolException(what + " unreachable: unknown host", e);
    }
    if (e instanceof HttpConnectTimeoutException) {
      return new ImageToolException(what + " unreachable: connection timed out", e);
    }
    if (e instanceof HttpTimeoutException) {
      return new ImageToolException(what + " did not answer in time", e);
    }
    if (find(e, SSLException.class) != null) {
      return new ImageToolException(what + ": TLS failed (" + detail
          + "); for a plain-HTTP registry that is not on loopback, pass --insecure", e);
    }
    return new ImageToolException(what + ": I/O error: " + (detail == null ? e.getClass().getSimpleName() : detail), e);
  }

  private static <T extends Throwable> T find(Throwable t, Class<T> type) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (type.isInstance(c)) {
        return type.cast(c);
      }
    }
    return null;
  }

  private static String deepestMessage(Throwable t) {
    String message = null;
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c.getMessage() != null && !c.getMessage().isBlank()) {
        message = c.getMessage();
      }
    }
    return message;
  }
}
