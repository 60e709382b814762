package com.example.gsping.images;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One bash, fed commands one after another as a user types them into a terminal: variables and the working
 * directory carry over from one command to the next. Each command's stdout and stderr go, together, to a file of
 * its own, and its exit code to another, which is how this knows it has ended. Background commands are stopped
 * (their pids only) by {@link #stopBackground()} and on {@link #close()}.
 */
final class TerminalSession implements AutoCloseable {

    private static final Duration POLL = Duration.ofMillis(50);

    private final Process bash;
    private final Writer input;
    private final Path dir;
    private final List<ProcessHandle> background = new ArrayList<>();
    private int count;

    record Outcome(int exitCode, List<String> lines, Duration took) {
    }

    private TerminalSession(Process bash, Path dir) {
        this.bash = bash;
        this.input = new java.io.OutputStreamWriter(bash.getOutputStream(), StandardCharsets.UTF_8);
        this.dir = dir;
    }

    /** A bash in {@code workDir} with {@code env} added to this JVM's environment; its files go to {@code dir}. */
    static TerminalSession start(Path workDir, Map<String, String> env, Path dir) throws IOException {
        Files.createDirectories(dir);
        ProcessBuilder builder = new ProcessBuilder("bash", "--norc", "--noprofile")
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("session.log").toFile());
        builder.environment().putAll(env);
        return new TerminalSession(builder.start(), dir);
    }

    /** Runs {@code command} to its end (or fails after {@code timeout}). */
    Outcome run(String command, Duration timeout) throws IOException, InterruptedException {
        Path out = next("out");
        Path rc = dir.resolve(count + ".rc");
        long started = System.nanoTime();
        // a group, not a subshell: assignments stay for the next commands
        send("{ " + command + "\n} >" + quote(out) + " 2>&1 </dev/null; echo $? >" + quote(rc) + ".tmp && mv " + quote(rc) + ".tmp " + quote(rc));
        long deadline = started + timeout.toNanos();
        while (!Files.exists(rc)) {
            if (!bash.isAlive()) {
                throw new AssertionError("the shell ended during: " + command + "\n" + Files.readString(dir.resolve("session.log")));
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("still running after " + timeout.toSeconds() + " s: " + command + "\n" + String.join("\n", lines(out)));
            }
            Thread.sleep(POLL.toMillis());
        }
        return new Outcome(Integer.parseInt(Files.readString(rc).strip()), lines(out), Duration.ofNanos(System.nanoTime() - started));
    }

    /**
     * Starts {@code command} in the background ({@code COMMAND &}) and waits until it has printed {@code lineCount}
     * lines, or has ended, or {@code timeout} has passed; returns what it printed by then (exit code 0 while it runs).
     */
    Outcome startInBackground(String command, int lineCount, Duration timeout) throws IOException, InterruptedException {
        Path out = next("out");
        Path pid = dir.resolve(count + ".pid");
        long started = System.nanoTime();
        send(command + " >" + quote(out) + " 2>&1 </dev/null & echo $! >" + quote(pid) + ".tmp && mv " + quote(pid) + ".tmp " + quote(pid));
        long deadline = started + timeout.toNanos();
        while (!Files.exists(pid)) {
            Thread.sleep(POLL.toMillis());
        }
        ProcessHandle process = ProcessHandle.of(Long.parseLong(Files.readString(pid).strip()))
                .orElseThrow(() -> new AssertionError("ended at once: " + command));
        background.add(process);
        while (process.isAlive() && lines(out).size() < lineCount && System.nanoTime() < deadline) {
            Thread.sleep(POLL.toMillis());
        }
        List<String> lines = lines(out);
        return new Outcome(process.isAlive() ? 0 : -1, lines.subList(0, Math.min(lineCount, lines.size())),
                Duration.ofNanos(System.nanoTime() - started));
    }

    /** SIGTERM to what {@link #startInBackground} started, SIGKILL after 10 s. */
    void stopBackground() throws InterruptedException {
        for (ProcessHandle process : background) {
            process.destroy();
            try {
                process.onExit().get(10, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                process.destroyForcibly();
            }
        }
        background.clear();
    }

    @Override
    public void close() throws Exception {
        stopBackground();
        input.close();
        if (!bash.waitFor(10, TimeUnit.SECONDS)) {
            bash.destroyForcibly();
        }
    }

    private Path next(String suffix) {
        return dir.resolve(++count + "." + suffix);
    }

    private void send(String line) throws IOException {
        input.write(line + "\n");
        input.flush();
    }

    private static List<String> lines(Path out) throws IOException {
        return Files.exists(out) ? new String(Files.readAllBytes(out), StandardCharsets.UTF_8).lines().toList() : List.of();
    }

    private static String quote(Path path) {
        return "'" + path.toString().replace("'", "'\\''") + "'";
    }
}
