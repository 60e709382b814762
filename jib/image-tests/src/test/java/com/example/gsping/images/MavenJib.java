package com.example.gsping.images;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Runs the project's Jib executions again, as a developer would from the command line: {@code mvnw -o} in a
 * subprocess, on the classes and dependencies the build under test produced, writing into an image dir of
 * its own. Each distinct run happens once per test JVM; the test classes that need it share it.
 */
final class MavenJib {

    /** a build for the other platform dumps its class archive under qemu: minutes on a busy 2-core machine (ScannerIT) */
    private static final long TIMEOUT_MINUTES = 30;
    private static final Map<String, Path> DONE = new ConcurrentHashMap<>();
    private static final String WRAPPER = BuildUnderTest.PROJECT_DIR.resolve("mvnw").toString();
    /** on PATH: jib/local-env.sh installs Debian's maven package */
    private static final String SYSTEM_MAVEN = "mvn";

    private MavenJib() {
    }

    /**
     * Runs the given goals, offline (-o), with {@code -Dimage.dir=<target>/<dirName>}, plus the platform and the bases
     * the build under test used (the ones built on this machine, or latest's public one with -Ppublished-base).
     *
     * @return the image dir, with its digest, ID and image JSON files
     */
    static synchronized Path run(String dirName, List<String> goals, String... properties) throws Exception {
        return run(dirName, true, goals, properties);
    }

    /** Like {@link #run(String, List, String...)}; {@code offline=false} for goals that talk to a registry (Jib refuses them under -o). */
    static synchronized Path run(String dirName, boolean offline, List<String> goals, String... properties) throws Exception {
        return run(dirName, offline, Map.of(), goals, properties);
    }

    /** Like {@link #run(String, boolean, List, String...)}, with {@code env} added to Maven's environment (e.g. another DOCKER_HOST). */
    static synchronized Path run(String dirName, boolean offline, Map<String, String> env, List<String> goals, String... properties)
            throws Exception {
        return run(WRAPPER, dirName, offline, env, goals, properties);
    }

    /**
     * Like {@link #run(String, boolean, List, String...)} with the system's {@code mvn} instead of ./mvnw: the
     * Maven a user has (Debian's 3.8), which some plugins' versions and the parent's rules did not load on.
     */
    static synchronized Path runWithSystemMaven(String dirName, boolean offline, List<String> goals, String... properties)
            throws Exception {
        return run(SYSTEM_MAVEN, dirName, offline, Map.of(), goals, properties);
    }

    private static Path run(String maven, String dirName, boolean offline, Map<String, String> env, List<String> goals,
            String... properties) throws Exception {
        Path done = DONE.get(dirName);
        if (done != null) {
            return done;
        }
        Path imageDir = BuildUnderTest.BUILD_DIR.resolve(dirName);
        Path log = BuildUnderTest.BUILD_DIR.resolve(dirName + ".log");
        long started = System.nanoTime();
        Outcome outcome = attempt(maven, true, dirName, offline, env, goals, properties);
        if (outcome.exitCode() != 0) {
            throw new AssertionError("exit " + outcome.exitCode() + ": " + outcome.command() + "\n" + tail(log));
        }
        System.out.printf("[image tests] %s into %s: %d s%n", String.join(" ", goals), imageDir,
                TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
        DONE.put(dirName, imageDir);
        return imageDir;
    }

    /** How a run ended: its exit code and all it printed (stdout and stderr). */
    record Outcome(String command, int exitCode, String output) {
    }

    /**
     * One run as {@link #run(String, boolean, List, String...)} does it, every time (nothing shared), with
     * {@code env} added to Maven's environment; a non-zero exit is a result here, not a failure.
     */
    static Outcome attempt(String dirName, boolean offline, Map<String, String> env, List<String> goals, String... properties)
            throws Exception {
        return attempt(WRAPPER, true, dirName, offline, env, goals, properties);
    }

    /** Like {@link #attempt(String, boolean, Map, List, String...)}, without -q: Maven's warnings and info lines too. */
    static Outcome attemptVerbose(String dirName, boolean offline, List<String> goals, String... properties) throws Exception {
        return attempt(WRAPPER, false, dirName, offline, Map.of(), goals, properties);
    }

    private static Outcome attempt(String maven, boolean quiet, String dirName, boolean offline, Map<String, String> env,
            List<String> goals, String... properties) throws Exception {
        Path imageDir = BuildUnderTest.BUILD_DIR.resolve(dirName);
        Path log = BuildUnderTest.BUILD_DIR.resolve(dirName + ".log");
        List<String> command = new ArrayList<>(List.of(maven, "-B"));
        if (quiet) {
            command.add("-q");
        }
        if (offline) {
            command.add("-o");
        }
        command.addAll(List.of("-f", BuildUnderTest.PROJECT_DIR.resolve("pom.xml").toString()));
        command.addAll(goals);
        command.add("-Dimage.dir=" + imageDir);
        command.add("-Dimage.arch=" + BuildUnderTest.ARCH);
        command.add("-Dbase.dir=" + BuildUnderTest.BASE_DIR);
        command.add("-Dlatest.base.cache=" + BuildUnderTest.LATEST_BASE_CACHE);
        command.add("-Dlatest.base.file=" + BuildUnderTest.LATEST_BASE_FILE);
        command.add("-Dlatest.base.image=" + BuildUnderTest.LATEST_BASE_IMAGE);
        command.addAll(List.of(properties));

        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(BuildUnderTest.PROJECT_DIR.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        // the same JDK as the build under test (failsafe forks the JVM Maven runs on)
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().putAll(env);
        Process process = builder.start();
        if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("still running after " + TIMEOUT_MINUTES + " min: " + String.join(" ", command) + "\n" + tail(log));
        }
        return new Outcome(String.join(" ", command), process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }
}
