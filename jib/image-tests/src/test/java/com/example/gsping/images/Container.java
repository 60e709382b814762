package com.example.gsping.images;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** One container of an image, started detached on the host network; removed (forcibly) on close. */
final class Container implements AutoCloseable {

    /** HTTP/1.1 only: the JDK client would otherwise try an h2c upgrade, which the service has no use for. */
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

    private final DockerCli docker;
    private final String name;
    private final int port;

    private Container(DockerCli docker, String name, int port) {
        this.docker = docker;
        this.name = name;
        this.port = port;
    }

    /** {@code docker run -d --network host -e PORT=<port> [options] docker-gs-ping:<tag>}, in {@code docker}'s daemon */
    static Container start(DockerCli docker, String tag, int port, String... options) throws IOException, InterruptedException {
        return start(docker, BuildUnderTest.IMAGE_NAME + ":" + tag, tag, port, options);
    }

    /** Like {@link #start(DockerCli, String, int, String...)}, of the image {@code reference}; {@code label} goes into the container's name. */
    static Container start(DockerCli docker, String reference, String label, int port, String... options)
            throws IOException, InterruptedException {
        String name = "gsping-it-" + label + "-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> args = new ArrayList<>(List.of("run", "-d", "--name", name, "--network", "host", "-e", "PORT=" + port));
        args.addAll(List.of(options));
        args.add(reference);
        Container container = new Container(docker, name, port);
        DockerCli.Result run = docker.run(args.toArray(String[]::new));
        if (run.exitCode() != 0) {
            container.close();
            throw new AssertionError("docker " + String.join(" ", args) + " exited " + run.exitCode() + ": " + run.stderr());
        }
        return container;
    }

    String name() {
        return name;
    }

    /** Polls {@code /health} until it answers 200; fails with the container's logs if it stops or takes too long. */
    Container awaitReady(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!"true".equals(inspect("{{.State.Running}}"))) {
                throw new AssertionError(name + " is not running (exit " + inspect("{{.State.ExitCode}}") + "): " + logs());
            }
            try {
                if (get("/health").statusCode() == 200) {
                    return this;
                }
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new AssertionError(name + " not ready on port " + port + " within " + timeout + ": " + logs());
    }

    /** {@code /} and {@code /health} answer 200 with the service's exact bodies (and {@code /}'s content type). */
    void assertServes() throws IOException, InterruptedException {
        HttpResponse<String> root = get("/");
        assertEquals(200, root.statusCode());
        assertEquals("Hello, Docker! <3", root.body());
        assertEquals("text/html; charset=UTF-8", root.headers().firstValue("Content-Type").orElse(null));
        HttpResponse<String> health = get("/health");
        assertEquals(200, health.statusCode());
        assertEquals("{\"Status\":\"OK\"}", health.body());
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(REQUEST_TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** As the README runs the lean image: its main process is 65532:65532 with no capabilities and no-new-privileges. */
    void assertRunsAsNonrootWithoutPrivileges() throws IOException, InterruptedException {
        Map<String, String> status = mainProcessStatus();
        assertAll(
                () -> assertEquals("65532 65532 65532 65532", status.get("Uid")),
                () -> assertEquals("65532 65532 65532 65532", status.get("Gid")),
                () -> assertEquals("0000000000000000", status.get("CapEff"), "no effective capabilities"),
                () -> assertEquals("0000000000000000", status.get("CapPrm"), "no permitted capabilities"),
                () -> assertEquals("1", status.get("NoNewPrivs")));
    }

    String inspect(String format) throws IOException, InterruptedException {
        return docker.ok("inspect", "--format", format, name);
    }

    /** {@code "exited 0"} for a container that stopped cleanly. */
    String statusAndExitCode() throws IOException, InterruptedException {
        return inspect("{{.State.Status}} {{.State.ExitCode}}");
    }

    /** The container's main process as the host's kernel sees it: /proc/&lt;pid&gt;/status of its host pid. */
    Map<String, String> mainProcessStatus() throws IOException, InterruptedException {
        String pid = inspect("{{.State.Pid}}");
        Map<String, String> status = new LinkedHashMap<>();
        for (String line : Files.readAllLines(Path.of("/proc", pid, "status"), StandardCharsets.UTF_8)) {
            int colon = line.indexOf(':');
            status.put(line.substring(0, colon), line.substring(colon + 1).strip().replaceAll("\\s+", " "));
        }
        return status;
    }

    /** {@code docker stop} (SIGTERM, then SIGKILL after 10 s); returns how long it took. */
    Duration stop() throws IOException, InterruptedException {
        long started = System.nanoTime();
        docker.ok("stop", name);
        return Duration.ofNanos(System.nanoTime() - started);
    }

    String logs() throws IOException, InterruptedException {
        DockerCli.Result logs = docker.run("logs", "--tail", "40", name);
        return logs.stdout() + logs.stderr();
    }

    @Override
    public void close() throws IOException, InterruptedException {
        docker.run("rm", "--force", name);
    }
}
