package com.example.gsping.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The packaged service as a separate OS process, the way a container runs it. */
public final class AppProcess implements AutoCloseable {

    /** Set by failsafe: the jar the build packaged. */
    private static final Path JAR = Path.of(System.getProperty("app.jar", "target/docker-gs-ping.jar"));
    private static final Path TEST_CLASSES = Path.of(System.getProperty("test.classes", "target/test-classes"));

    private final Process process;
    private final Path stdout;
    private final Path stderr;

    private AppProcess(Process process, Path stdout, Path stderr) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /** Starts {@code java -jar} on the packaged jar with env PORT (unset when null). */
    public static AppProcess start(String port, String... systemProperties) throws IOException {
        List<String> command = new ArrayList<>(List.of(javaBinary().toString()));
        for (String property : systemProperties) {
            command.add("-D" + property);
        }
        // test classes ride along so test-only routes can be switched on by a property
        command.addAll(List.of("-cp", JAR + java.io.File.pathSeparator + TEST_CLASSES, "com.example.gsping.Application"));
        Path stdout = Files.createTempFile("gsping-out", ".log");
        Path stderr = Files.createTempFile("gsping-err", ".log");
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile());
        builder.environment().remove("PORT");
        if (port != null) {
            builder.environment().put("PORT", port);
        }
        return new AppProcess(builder.start(), stdout, stderr);
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Polls {@code /health} until it answers 200. */
    public void awaitReady(int port, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("exited with " + process.exitValue() + ": " + stderr());
            }
            try {
                if (RawHttp.get(port, "/health").status() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                Thread.sleep(25);
            }
        }
        throw new AssertionError("not ready within " + timeout + ": " + stdout());
    }

    /** @return the exit code, or fails if the process is still running after the timeout */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("still running after " + timeout);
        }
        return process.exitValue();
    }

    /** SIGTERM, what {@code docker stop} sends first. */
    public void terminate() {
        process.destroy();
    }

    /** SIGKILL, what {@code docker stop} sends when the grace time is over. */
    public void kill() {
        process.destroyForcibly();
    }

    public String stdout() throws IOException {
        return Files.readString(stdout, StandardCharsets.UTF_8);
    }

    public String stderr() throws IOException {
        return Files.readString(stderr, StandardCharsets.UTF_8);
    }

    private static Path javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    @Override
    public void close() throws IOException {
        process.destroyForcibly();
        Files.deleteIfExists(stdout);
        Files.deleteIfExists(stderr);
    }
}
