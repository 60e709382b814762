package com.example.gsping.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Writes each event's message as one line on stdout from a single background thread, in batches:
 * once a line arrives, the thread lets more gather for a few milliseconds, then writes them all
 * with one flush. Under load that is one write (and one wake-up of the thread) per batch instead
 * of per request; when idle, a line reaches {@code docker logs} within those milliseconds.
 *
 * <p>Written here because logback's AsyncAppender in front of a ConsoleAppender flushes (a write
 * system call under the appender's lock) per event, which on one CPU cut the service's throughput
 * by three quarters. Request threads only enqueue; when the queue is full they wait, so no line
 * is dropped.
 */
public final class BatchingStdoutAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {

    private static final int QUEUE_CAPACITY = 16_384;
    private static final int BUFFER_BYTES = 64 * 1024;
    private static final byte[] NEWLINE = {'\n'};
    /** How long a batch may gather: short enough for a live log, long enough to batch under load. */
    private static final long BATCH_WINDOW_MS = 5;

    private final BlockingQueue<String> lines = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private Thread writer;

    @Override
    public void start() {
        writer = new Thread(this::writeLines, "access-log-writer");
        writer.setDaemon(true);
        writer.start();
        super.start();
    }

    @Override
    protected void append(ILoggingEvent event) {
        try {
            lines.put(event.getFormattedMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops taking events and writes what is queued (logback's shutdown hook calls this). */
    @Override
    public void stop() {
        super.stop();
        if (writer != null) {
            writer.interrupt();
            try {
                writer.join(1_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void writeLines() {
        OutputStream out = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), BUFFER_BYTES);
        List<String> batch = new ArrayList<>();
        try {
            while (true) {
                try {
                    batch.add(lines.take());
                    Thread.sleep(BATCH_WINDOW_MS);
                } catch (InterruptedException stopping) {
                    lines.drainTo(batch);
                    write(out, batch);
                    return;
                }
                lines.drainTo(batch);
                write(out, batch);
            }
        } catch (IOException e) {
            addError("cannot write the access log to stdout", e);
        }
    }

    private static void write(OutputStream out, List<String> batch) throws IOException {
        for (String line : batch) {
            out.write(line.getBytes(StandardCharsets.UTF_8));
            out.write(NEWLINE);
        }
        batch.clear();
        out.flush();
    }
}
