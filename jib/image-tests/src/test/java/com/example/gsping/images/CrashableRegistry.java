package com.example.gsping.images;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A CNCF distribution registry of the test's own (never the shared one on :5000): storage and
 * config in a directory, a free loopback port, and in front of it the address clients use, an
 * HTTP/1.1 forwarder that can kill the registry (SIGKILL) when a given request arrives, before
 * forwarding it, then drops the connections and stops listening. So "the registry died in the
 * middle of the push" happens at an exact point instead of racing a timer; afterwards
 * {@link #restart()} brings both back on the same ports and storage. (TLS connections are closed at once, so
 * Jib falls back to plain HTTP as it does with the real registry.) The same design as
 * jib/src/test's RegistryProcess and RegistryFront (a separate Maven project).
 */
final class CrashableRegistry implements AutoCloseable {

    private static final Set<String> NOT_FORWARDED = Set.of("connection", "content-length", "expect", "host", "keep-alive",
            "transfer-encoding", "upgrade");
    private static final int TLS_HANDSHAKE = 0x16;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private final Path dir;
    private final String upstream;
    private final int port;
    private Process process;
    private ServerSocket shim;
    private final List<Socket> shimmed = new ArrayList<>();
    private HttpServer front;
    private ExecutorService handlers;
    private String crashMethod;
    private String crashedAt;

    private CrashableRegistry(Path dir, String upstream, int port) {
        this.dir = dir;
        this.upstream = upstream;
        this.port = port;
    }

    static CrashableRegistry start(Path dir) throws Exception {
        return start(dir, "127.0.0.1:" + FreePort.pick());
    }

    /** Like {@link #start(Path)}, the registry itself listening on {@code upstreamAddress} ({@code HOST:PORT}, loopback). */
    static CrashableRegistry start(Path dir, String upstreamAddress) throws Exception {
        CrashableRegistry registry = new CrashableRegistry(dir, upstreamAddress, FreePort.pick());
        Files.writeString(dir.resolve("config.yml"), String.join("\n",
                "version: 0.1",
                "log:",
                "  level: error",
                "  accesslog:",
                "    disabled: true",
                "storage:",
                "  filesystem:",
                "    rootdirectory: " + dir.resolve("data"),
                "  delete:",
                "    enabled: true",
                "http:",
                "  addr: " + registry.upstream,
                ""));
        registry.restart();
        return registry;
    }

    /** Where clients push: the front. */
    String address() {
        return "127.0.0.1:" + port;
    }

    /** The registry itself, for checking what it stored. */
    String upstream() {
        return upstream;
    }

    /** The first request from now on with this HTTP method kills the registry. */
    synchronized void crashAtFirst(String method) {
        crashMethod = method;
        crashedAt = null;
    }

    /** {@code METHOD /path} of the request the registry died at, or null. */
    synchronized String crashedAt() {
        return crashedAt;
    }

    /** Starts the registry on its port and storage, waits until it answers, and opens the front. */
    void restart() throws Exception {
        Path log = dir.resolve("registry.log");
        try {
            process = new ProcessBuilder(System.getProperty("registry.binary", "docker-registry"), "serve", dir.resolve("config.yml").toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            throw new AssertionError("cannot start docker-registry (" + e.getMessage() + "); install it: bash jib/local-env.sh", e);
        }
        for (int i = 0; !answers(); i++) {
            if (!process.isAlive() || i == 100) {
                close();
                throw new AssertionError("registry did not come up on " + upstream + ": " + Files.readString(log));
            }
            Thread.sleep(100);
        }
        synchronized (this) {
            front = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            handlers = Executors.newCachedThreadPool();
            front.setExecutor(handlers);
            front.createContext("/", this::handle);
            front.start();
            shim = new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
            handlers.execute(() -> acceptPlainHttpOnly(shim, front.getAddress().getPort()));
        }
    }

    /**
     * Jib first tries HTTPS. A plain-HTTP registry answers a TLS hello with an error and Jib falls back to
     * HTTP; HttpServer would wait for a request line until Jib times out. So the public port closes TLS
     * connections at once and pipes the others to the front.
     */
    private void acceptPlainHttpOnly(ServerSocket listener, int frontPort) {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                handlers.execute(() -> route(client, frontPort));
            } catch (IOException | RuntimeException e) {
                // closed by stopFront()
            }
        }
    }

    private void route(Socket client, int frontPort) {
        try {
            int first = client.getInputStream().read();
            if (first == TLS_HANDSHAKE || first < 0) {
                client.close();
                return;
            }
            Socket server = new Socket(InetAddress.getLoopbackAddress(), frontPort);
            synchronized (this) {
                shimmed.add(client);
                shimmed.add(server);
            }
            server.getOutputStream().write(first);
            handlers.execute(() -> pipe(client, server));
            pipe(server, client);
        } catch (IOException | RuntimeException e) {
            closeQuietly(client); // the client sees the connection closed
        }
    }

    private static void pipe(Socket from, Socket to) {
        try (from; to) {
            from.getInputStream().transferTo(to.getOutputStream());
        } catch (IOException e) {
            // either side closed: both are closed now
        }
    }

    @Override
    public void close() throws Exception {
        stopFront();
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }

    private boolean answers() throws InterruptedException {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://" + upstream + "/v2/")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false; // not listening yet
        }
    }

    private void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            throw new AssertionError("registry pid " + process.pid() + " survived SIGKILL for 10 s");
        }
    }

    private synchronized void stopFront() {
        if (front != null) {
            try {
                shim.close();
            } catch (IOException e) {
                // already closed
            }
            shimmed.forEach(CrashableRegistry::closeQuietly); // every open connection
            shimmed.clear();
            front.stop(0);
            handlers.shutdown();
            front = null;
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }

    private synchronized boolean crashesAt(String request, String method) {
        if (!method.equals(crashMethod)) {
            return false;
        }
        crashMethod = null;
        crashedAt = request;
        return true;
    }

    private void handle(HttpExchange exchange) throws IOException {
        String request = exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath();
        if (crashesAt(request, exchange.getRequestMethod())) {
            try {
                kill();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close(); // no response: the connection is closed under the client
            stopFront();
            return;
        }
        try (exchange) {
            forward(exchange);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void forward(HttpExchange exchange) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + upstream + exchange.getRequestURI()))
                .timeout(Duration.ofMinutes(5))
                // distribution builds its upload Location headers from it, so uploads continue through the front
                .header("X-Forwarded-Host", address());
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(value -> request.header(name, value));
            }
        });
        InputStream body = exchange.getRequestBody();
        // streamed: Jib sends layers of 100+ MB, chunked
        HttpRequest.BodyPublisher publisher = exchange.getRequestMethod().matches("PUT|PATCH|POST")
                ? HttpRequest.BodyPublishers.ofInputStream(() -> body)
                : HttpRequest.BodyPublishers.noBody();
        HttpResponse<byte[]> response = HTTP.send(request.method(exchange.getRequestMethod(), publisher).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        boolean head = exchange.getRequestMethod().equals("HEAD");
        response.headers().map().forEach((name, values) -> {
            // a HEAD answer's Content-Length is the size GET would send: clients read it
            if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT)) || (head && name.equalsIgnoreCase("Content-Length"))) {
                exchange.getResponseHeaders().put(name, values);
            }
        });
        byte[] bytes = response.body();
        exchange.sendResponseHeaders(response.statusCode(), bytes.length == 0 ? -1 : bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}
