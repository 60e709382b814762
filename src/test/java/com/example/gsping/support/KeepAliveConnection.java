package com.example.gsping.support;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * One kept-alive HTTP/1.1 connection, a request at a time (no pipelining), that reports what became of
 * each request instead of throwing: answered, closed before any response byte, cut off mid-response, or
 * left hanging. Unlike a client library, it never retries, so a lost request shows.
 */
public final class KeepAliveConnection implements AutoCloseable {

    /** What became of one request. */
    public enum Outcome {
        /** A whole response arrived. */
        ANSWERED,
        /** The request could not be written: the connection was already closed or reset. */
        NOT_SENT,
        /** Sent, then the connection closed or reset before the first response byte. */
        NO_RESPONSE,
        /** Part of a response arrived, then the connection ended. */
        TRUNCATED,
        /** No (complete) response within {@link RawHttp#TIMEOUT_MS}. */
        TIMED_OUT
    }

    /**
     * One request and its fate.
     *
     * @param sentAtNanos {@link System#nanoTime()} when the request's last byte was handed to the kernel;
     *                    when it fails, when the write failed
     * @param response    the response when {@link Outcome#ANSWERED}, else null
     */
    public record Exchange(String path, long sentAtNanos, long doneAtNanos, Outcome outcome, RawHttp.Response response,
                           String failure) {
        public boolean closesConnection() {
            return outcome != Outcome.ANSWERED || "close".equalsIgnoreCase(response.header("connection"));
        }
    }

    private final Socket socket;
    private final OutputStream out;
    private final BufferedInputStream in;

    private KeepAliveConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.in = new BufferedInputStream(socket.getInputStream());
    }

    /** @throws java.net.ConnectException when nothing listens on the port (any more) */
    public static KeepAliveConnection open(int port) throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(RawHttp.TIMEOUT_MS);
        return new KeepAliveConnection(socket);
    }

    public Exchange get(String path) {
        byte[] request = ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        try {
            out.write(request);
            out.flush();
        } catch (IOException e) {
            return failed(path, System.nanoTime(), Outcome.NOT_SENT, e);
        }
        long sentAt = System.nanoTime();
        try {
            in.mark(1);
            if (in.read() == -1) {
                return failed(path, sentAt, Outcome.NO_RESPONSE, null);
            }
            in.reset();
        } catch (SocketTimeoutException e) {
            return failed(path, sentAt, Outcome.TIMED_OUT, e);
        } catch (IOException e) {
            return failed(path, sentAt, Outcome.NO_RESPONSE, e);
        }
        try {
            return new Exchange(path, sentAt, System.nanoTime(), Outcome.ANSWERED, RawHttp.readResponse(in), null);
        } catch (SocketTimeoutException e) {
            return failed(path, sentAt, Outcome.TIMED_OUT, e);
        } catch (IOException e) {
            return failed(path, sentAt, Outcome.TRUNCATED, e);
        }
    }

    private static Exchange failed(String path, long sentAt, Outcome outcome, IOException cause) {
        return new Exchange(path, sentAt, System.nanoTime(), outcome, null, cause == null ? "end of stream" : cause.toString());
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
