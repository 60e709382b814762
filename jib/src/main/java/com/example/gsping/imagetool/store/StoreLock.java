package com.example.gsping.imagetool.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The store lock: shared for readers, exclusive for writers, so two imagetool processes never
 * interleave index updates and a sweep never removes a blob that a reader or loader is using.
 * An OS file lock on {@code .imagetool/lock} covers other processes (and is dropped by the OS if
 * the process dies). OS file locks belong to the whole process (and on Linux closing any channel
 * on the file drops them all), so threads of one JVM take turns on an in-memory lock first.
 */
final class StoreLock implements AutoCloseable {
  private static final Map<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();

  private final Lock threadLock;
  private final FileChannel channel;
  private final FileLock fileLock;

  private StoreLock(Lock threadLock, FileChannel channel, FileLock fileLock) {
    this.threadLock = threadLock;
    this.channel = channel;
    this.fileLock = fileLock;
  }

  /** The exclusive lock of a writer; creates the lock file. */
  static StoreLock exclusive(Path lockFile) throws IOException {
    Lock threadLock = threadLock(lockFile);
    FileChannel channel = null;
    try {
      channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      return new StoreLock(threadLock, channel, channel.lock());
    } catch (IOException | RuntimeException e) {
      if (channel != null) {
        channel.close();
      }
      threadLock.unlock();
      throw e;
    }
  }

  /**
   * A reader's shared lock, taken through a read-only channel. Reading never needs write access:
   * where the lock file is absent (a layout no imagetool wrote to, e.g. skopeo's) or cannot be
   * opened or locked (another user's store, a read-only mount), the reader reads without it,
   * as any other OCI tool would.
   */
  static StoreLock shared(Path lockFile) {
    Lock threadLock = threadLock(lockFile);
    FileChannel channel = null;
    try {
      channel = FileChannel.open(lockFile, StandardOpenOption.READ);
      return new StoreLock(threadLock, channel, channel.lock(0, Long.MAX_VALUE, true));
    } catch (IOException e) {
      closeQuietly(channel);
      return new StoreLock(threadLock, null, null);
    }
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      if (channel != null) {
        channel.close();
      }
    } catch (IOException e) {
      // a channel that could not be locked: nothing of it to keep
    }
  }

  private static Lock threadLock(Path lockFile) {
    Lock lock = IN_PROCESS.computeIfAbsent(lockFile.toAbsolutePath().normalize(), p -> new ReentrantLock());
    lock.lock();
    return lock;
  }

  @Override
  public void close() throws IOException {
    try {
      if (channel != null) {
        fileLock.release();
        channel.close();
      }
    } finally {
      threadLock.unlock();
    }
  }
}
