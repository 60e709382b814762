package com.example.gsping.support;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, byte for byte: what a client library would refuse to send
 * (malformed lines, bad header bytes, {@code //}) and what it would hide (the connection closing).
 */
public final class RawHttp {

    static final int TIMEOUT_MS = 5_000;
    /** How long a connection must stay silent after a response to count as kept open. */
    private static final int CLOSE_WAIT_MS = 1_000;

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
        return send(port, request.getBytes(StandardCharsets.ISO_8859_1), false);
    }

    /** Like {@link #send(int, String)}, then waits up to a second to see whether the server closes the connection. */
    public static Response sendAndWatchClose(int port, byte[] request) throws IOException {
        return send(port, request, true);
    }

    private static Response send(int port, byte[] request, boolean watchClose) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(TIMEOUT_MS);
            OutputStream out = socket.getOutputStream();
            out.write(request);
            out.flush();
            InputStream in = socket.getInputStream();
            Response response = readResponse(in);
            return watchClose ? new Response(response.status(), response.headers(), response.body(), isClosed(socket, in)) : response;
        }
    }

    /**
     * Reads one response (status line, headers, a {@code Content-Length} body) and nothing more, so the
     * next one on a kept-alive connection can follow.
     *
     * @throws EOFException when the connection ends before the response is complete
     */
    public static Response readResponse(InputStream in) throws IOException {
        String statusLine = readLine(in);
        if (statusLine == null) {
            throw new EOFException("connection closed without a response");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line = headerLine(in); !line.isEmpty(); line = headerLine(in)) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
        byte[] body = in.readNBytes(length);
        if (body.length < length) {
            throw new EOFException("connection closed after " + body.length + " of " + length + " body bytes");
        }
        return new Response(Integer.parseInt(statusLine.split(" ")[1]), headers, new String(body, StandardCharsets.UTF_8), false);
    }

    private static boolean isClosed(Socket socket, InputStream in) throws IOException {
        socket.setSoTimeout(CLOSE_WAIT_MS);
        try {
            return in.read() == -1;
        } catch (SocketTimeoutException e) {
            return false;
        }
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
