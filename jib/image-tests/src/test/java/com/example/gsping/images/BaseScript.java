package com.example.gsping.images;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Runs a script of jib/base/, which build, cache and publish the bases outside Maven, as a user runs it: bash, as
 * this (root) user, its cache in {@code DOCKER_GS_PING_CACHE}. Its progress goes to {@code target/SCRIPT.log}, its
 * results to {@code target/SCRIPT.out}.
 */
final class BaseScript {

    private BaseScript() {
    }

    /**
     * Runs {@code jib/base/SCRIPT ARGS} with its bases in {@code baseDir} (the scripts' cache is its parent: jib/base/common.sh),
     * and fails unless it exits 0 within {@code minutes}.
     *
     * @return what it printed on stdout (the scripts print only their results there), stripped
     */
    static String run(Path baseDir, long minutes, String script, String... args) throws Exception {
        assertEquals("base", baseDir.getFileName().toString(), "the jib/base/ scripts keep their bases in $DOCKER_GS_PING_CACHE/base");
        Path log = BuildUnderTest.BUILD_DIR.resolve(script.replace(".sh", ".log"));
        Path out = BuildUnderTest.BUILD_DIR.resolve(script.replace(".sh", ".out"));
        List<String> command = new ArrayList<>(List.of("bash", BuildUnderTest.PROJECT_DIR.resolve("jib/base/" + script).toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(log.toFile()).redirectOutput(out.toFile());
        builder.environment().put("DOCKER_GS_PING_CACHE", baseDir.getParent().toString());
        long started = System.nanoTime();
        Process process = builder.start();
        process.getOutputStream().close();
        if (!process.waitFor(minutes, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " still running after " + minutes + " min: " + Files.readString(log));
        }
        assertEquals(0, process.exitValue(), String.join(" ", command) + ": " + Files.readString(log));
        System.out.printf("[image tests] %s: %d s%n", String.join(" ", command), TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
        return Files.readString(out).strip();
    }
}
