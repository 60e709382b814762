package com.example.gsping.imagetool.registry;

import com.example.gsping.imagetool.ImageToolException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A response body that cannot hang the tool: the JDK's HttpClient has no read timeout (its
 * request timeout ends once the headers are in), so a watchdog closes the stream when nothing
 * arrived for the registry timeout, or, for a document read whole, when the whole body took
 * longer than that. Closing the JDK's response stream wakes a blocked reader, which then gets
 * this one-line failure instead.
 */
final class GuardedBody extends FilterInputStream {
  private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "imagetool-registry-watchdog");
    t.setDaemon(true);
    return t;
  });

  private final String what;
  private final Duration timeout;
  private final boolean whole;
  private final long start = System.nanoTime();
  private volatile ScheduledFuture<?> check; // set right after scheduling: the first run may come before
  private volatile long lastProgress = start;
  private volatile boolean expired;

  /** {@code whole}: the body is a document read at once, so the timeout bounds all of it, not only each gap. */
  GuardedBody(InputStream body, String what, Duration timeout, boolean whole) {
    super(body);
    this.what = what;
    this.timeout = timeout;
    this.whole = whole;
    long period = Math.max(10, Math.min(1000, timeout.toMillis() / 4));
    this.check = WATCHDOG.scheduleAtFixedRate(this::expireIfDue, period, period, TimeUnit.MILLISECONDS);
  }

  private void expireIfDue() {
    long now = System.nanoTime();
    if (now - (whole ? start : lastProgress) > timeout.toNanos()) {
      expired = true;
      stopChecking();
      try {
        in.close();
      } catch (IOException e) {
        // closing only to wake the reader
      }
    }
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n;
    try {
      n = in.read(b, off, len);
    } catch (IOException e) {
      if (expired) {
        throw timedOut();
      }
      throw e;
    }
    if (expired) {
      throw timedOut();
    }
    if (n < 0) {
      stopChecking();
    } else {
      lastProgress = System.nanoTime();
    }
    return n;
  }

  private ImageToolException timedOut() {
    return new ImageToolException(what + (whole ? " was not complete within " : " sent nothing for ") + timeout.toSeconds()
        + " s (--registry-timeout)");
  }

  private void stopChecking() {
    ScheduledFuture<?> c = check;
    if (c != null) {
      c.cancel(false);
    }
  }

  @Override
  public void close() throws IOException {
    stopChecking();
    super.close();
  }
}
