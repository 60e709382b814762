package com.example.gsping.imagetool.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs one task per item on a few threads and returns the results in the items' order: a
 * registry listing waits for its round trips side by side instead of one after another. The
 * first failure (in item order) is thrown as the task threw it.
 */
final class InParallel {
  private static final int THREADS = 8;

  @FunctionalInterface
  interface Task<T, R> {
    R apply(T item) throws IOException;
  }

  private InParallel() {}

  static <T, R> List<R> map(List<T> items, Task<T, R> task) throws IOException {
    if (items.size() < 2) {
      List<R> out = new ArrayList<>();
      for (T item : items) {
        out.add(task.apply(item));
      }
      return out;
    }
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(THREADS, items.size()), r -> {
      Thread t = new Thread(r, "imagetool-worker");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<R>> futures = new ArrayList<>();
      for (T item : items) {
        futures.add(pool.submit(() -> task.apply(item)));
      }
      List<R> out = new ArrayList<>();
      for (Future<R> f : futures) {
        out.add(f.get());
      }
      return out;
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        throw io;
      }
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      throw new UncheckedIOException(new IOException(cause));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } finally {
      pool.shutdownNow();
    }
  }
}
