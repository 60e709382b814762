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

  static StoreLock acquire(Path lockFile, boolean exclusive) throws IOException {
    Lock threadLock = IN_PROCESS.computeIfAbsent(lockFile.toAbsolutePath().normalize(), p -> new ReentrantLock());
    threadLock.lock();
    FileChannel channel = null;
    try {
      channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      FileLock fileLock = channel.lock(0, Long.MAX_VALUE, !exclusive);
      return new StoreLock(threadLock, channel, fileLock);
    } catch (IOException | RuntimeException e) {
      if (channel != null) {
        channel.close();
      }
      threadLock.unlock();
      throw e;
    }
  }

  @Override
  public void close() throws IOException {
    try {
      fileLock.release();
      channel.close();
    } finally {
      threadLock.unlock();
    }
  }
}
