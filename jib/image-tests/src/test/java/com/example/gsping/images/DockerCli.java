package com.example.gsping.images;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The real Docker engine through its CLI, with {@code env} added to the CLI's environment (e.g. the DOCKER_HOST
 * of a {@link PrivateDockerd}). {@link #SHARED} is the machine's own daemon: tests only read from it.
 */
final class DockerCli {

    /** Debian's client matches its dockerd 20.10 (as jib/local-env.sh pins it); elsewhere the one on PATH. */
    static final String CLI = System.getProperty("docker.cli",
            Files.isExecutable(Path.of("/usr/bin/docker")) ? "/usr/bin/docker" : "docker");

    private static final long TIMEOUT_SECONDS = 120;

    /** The daemon DOCKER_HOST (or the default socket) names: the user's, shared with everything on the machine. */
    static final DockerCli SHARED = new DockerCli(Map.of());

    private final Map<String, String> env;

    DockerCli(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    Map<String, String> env() {
        return env;
    }

    record Result(int exitCode, String stdout, String stderr) {
        String out() {
            return stdout.strip();
        }

        /** stdout and stderr together, for messages whose stream differs between CLI versions. */
        String output() {
            return stdout + stderr;
        }
    }

    /** Fails, never skips, when no daemon answers: the image tests are part of the build. */
    void requireDaemon() throws Exception {
        Result version;
        try {
            version = run("version", "--format", "{{.Server.Version}}");
        } catch (IOException e) {
            throw new AssertionError("no Docker CLI (" + CLI + "): " + e.getMessage() + "; run bash jib/local-env.sh", e);
        }
        if (version.exitCode() != 0 || version.out().isEmpty()) {
            throw new AssertionError("Docker daemon not reachable (`" + CLI + " version` exit " + version.exitCode() + ": "
                    + String.join(" ", version.stderr().strip().split("\\s*\\R\\s*")) + "); run bash jib/local-env.sh");
        }
    }

    Result run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(CLI));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(env);
        Process process = builder.start();
        process.getOutputStream().close();
        CompletableFuture<byte[]> stdout = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
        CompletableFuture<byte[]> stderr = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("still running after " + TIMEOUT_SECONDS + " s: " + String.join(" ", command));
        }
        return new Result(process.exitValue(), new String(stdout.join(), StandardCharsets.UTF_8),
                new String(stderr.join(), StandardCharsets.UTF_8));
    }

    /** Runs and fails unless the command exits 0; returns its stdout, stripped. */
    String ok(String... args) throws IOException, InterruptedException {
        Result result = run(args);
        if (result.exitCode() != 0) {
            throw new AssertionError("docker " + String.join(" ", args) + " exited " + result.exitCode() + ": "
                    + result.stderr().strip() + result.stdout().strip());
        }
        return result.out();
    }

    private static byte[] readAll(java.io.InputStream in) {
        try (in) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
