package com.example.gsping.support;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, byte for byte: what a client library would refuse to send
 * (malformed lines, bad header bytes, {@code //}, pipelined or half-sent requests) and what it
 * would hide (the connection closing, bytes after a response).
 */
public final class RawHttp {

    static final int TIMEOUT_MS = 5_000;
    /** How long a connection must stay silent after a response to count as kept open. */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(1);

    private RawHttp() {
    }

    /** A parsed response and, when asked for, whether the server closed the connection after it. */
    public record Response(int status, Map<String, String> headers, String body, boolean closed) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    public static Response get(int port, String target) throws IOException {
        return send(port, "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    }

    public static Response send(int port, String request) throws IOException {
        try (Connection connection = Connection.open(port)) {
            return connection.write(request.getBytes(StandardCharsets.ISO_8859_1)).readResponse();
        }
    }

    /** Like {@link #send(int, String)}, then waits up to a second to see whether the server closes the connection. */
    public static Response sendAndWatchClose(int port, byte[] request) throws IOException {
        try (Connection connection = Connection.open(port)) {
            Response response = connection.write(request).readResponse();
            boolean closed = connection.closesWithin(CLOSE_WAIT);
            return new Response(response.status(), response.headers(), response.body(), closed);
        }
    }

    /** One client connection, for conversations: pipelining, slow or partial writes, watching for the close. */
    public static final class Connection implements AutoCloseable {

        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;

        private Connection(Socket socket) throws IOException {
            this.socket = socket;
            socket.setSoTimeout(TIMEOUT_MS);
            // buffered: silentFor looks at the next byte without taking it
            this.in = new BufferedInputStream(socket.getInputStream());
            this.out = socket.getOutputStream();
        }

        public static Connection open(int port) throws IOException {
            return new Connection(new Socket("127.0.0.1", port));
        }

        public Connection write(byte[] bytes) throws IOException {
            out.write(bytes);
            out.flush();
            return this;
        }

        public Connection write(String text) throws IOException {
            return write(text.getBytes(StandardCharsets.ISO_8859_1));
        }

        /** Tells the server the client has nothing more to send (a FIN), while still reading. */
        public Connection shutdownOutput() throws IOException {
            socket.shutdownOutput();
            return this;
        }

        /** Reads one response; {@code closed} is always false here (see {@link #closesWithin}). */
        public Response readResponse() throws IOException {
            return RawHttp.readResponse(in);
        }

        /** Like {@link #readResponse()}, waiting up to {@code wait} for each read: a client queued in the accept backlog. */
        public Response readResponse(Duration wait) throws IOException {
            socket.setSoTimeout(Math.toIntExact(wait.toMillis()));
            try {
                return readResponse();
            } finally {
                socket.setSoTimeout(TIMEOUT_MS);
            }
        }

        /** Reads the answer to a HEAD request: status and headers only, whatever Content-Length says. */
        public Response readHeadResponse() throws IOException {
            return RawHttp.readResponse(in, true);
        }

        /** @return true when the server sends nothing and does not close the connection within the wait */
        public boolean silentFor(Duration wait) throws IOException {
            socket.setSoTimeout(Math.toIntExact(wait.toMillis()));
            in.mark(1);
            try {
                in.read();
                in.reset();
                return false;
            } catch (SocketTimeoutException e) {
                return true;
            } finally {
                socket.setSoTimeout(TIMEOUT_MS);
            }
        }

        /** @return true when the server closes the connection (orderly or by reset) within the wait, false when it stays silent */
        public boolean closesWithin(Duration wait) throws IOException {
            socket.setSoTimeout(Math.toIntExact(wait.toMillis()));
            try {
                String unexpected = readUntilClosed();
                if (!unexpected.isEmpty()) {
                    throw new IOException("expected a close, got more bytes: " + unexpected);
                }
                return true;
            } catch (SocketTimeoutException e) {
                return false;
            }
        }

        /**
         * Everything the server sends until it closes the connection (a reset counts as a close);
         * throws SocketTimeoutException if it does not close within the socket timeout.
         */
        public String readUntilClosed() throws IOException {
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            try {
                for (int b = in.read(); b != -1; b = in.read()) {
                    received.write(b);
                }
            } catch (SocketException e) {
                if (!String.valueOf(e.getMessage()).contains("Connection reset")) {
                    throw e;
                }
            }
            return received.toString(StandardCharsets.ISO_8859_1);
        }

        /**
         * Writes one byte per interval, as a slowloris client does, until all are written or the
         * server closes the connection.
         * @return how many bytes were written before the server closed, or all of them
         */
        public int trickle(byte[] bytes, Duration interval) throws IOException {
            for (int written = 0; written < bytes.length; written++) {
                try {
                    write(new byte[] {bytes[written]});
                } catch (SocketException e) {
                    return written;
                }
                if (closesWithin(interval)) {
                    return written + 1;
                }
            }
            return bytes.length;
        }

        /** Ends the connection with a TCP reset instead of an orderly close, as a crashing client would. */
        public void reset() throws IOException {
            socket.setSoLinger(true, 0);
            socket.close();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /**
     * Reads one response (status line, headers, a {@code Content-Length} body) and nothing more, so the
     * next one on a kept-alive connection can follow.
     *
     * @throws EOFException when the connection ends before the response is complete
     */
    public static Response readResponse(InputStream in) throws IOException {
        return readResponse(in, false);
    }

    private static Response readResponse(InputStream in, boolean toHead) throws IOException {
        String statusLine = readLine(in);
        if (statusLine == null) {
            throw new EOFException("connection closed without a response");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line = headerLine(in); !line.isEmpty(); line = headerLine(in)) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        int length = toHead ? 0 : Integer.parseInt(headers.getOrDefault("content-length", "0"));
        byte[] body = in.readNBytes(length);
        if (body.length < length) {
            throw new EOFException("connection closed after " + body.length + " of " + length + " body bytes");
        }
        return new Response(Integer.parseInt(statusLine.split(" ")[1]), headers, new String(body, StandardCharsets.UTF_8), false);
    }

    private static String headerLine(InputStream in) throws IOException {
        String line = readLine(in);
        if (line == null) {
            throw new EOFException("connection closed in the headers");
        }
        return line;
    }

    /** @return the line without its CRLF; null when the connection ended before it; EOFException when in it */
    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != -1; b = in.read()) {
            if (b == '\n') {
                String text = line.toString(StandardCharsets.ISO_8859_1);
                return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
            }
            line.write(b);
        }
        if (line.size() > 0) {
            throw new EOFException("connection closed in the middle of a line: " + line.toString(StandardCharsets.ISO_8859_1));
        }
        return null;
    }
}
