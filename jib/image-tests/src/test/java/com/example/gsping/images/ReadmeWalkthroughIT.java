package com.example.gsping.images;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README, pasted in order into one terminal on the built images: every {@code shell} and {@code console}
 * block's commands (see {@link ReadmeScript} for the markers that skip a block or say how to run it), each of which
 * must exit 0 and print output of the shape of its sample ({@link OutputShape}). Nothing of the user's is used:
 * the commands talk to a {@link PrivateDockerd} (DOCKER_HOST, DOCKER_CONFIG), to a registry of their own in place
 * of 127.0.0.1:5000 (on another loopback address, port 5000: the one literal rewritten in the commands, and back in
 * their output) and to an imagetool
 * store of their own (IMAGETOOL_STORE); all three go after the test. Commands run in the project directory, as the
 * README says, so a Maven command there writes into {@code target/} (the same bytes: the builds are reproducible).
 * <p>
 * It writes what every command printed to {@code target/readme-walkthrough.txt}; with {@code -Dreadme.update=true}
 * it also puts that output into README.md as the sample output, so that the README shows one real run.
 */
class ReadmeWalkthroughIT {

    private static final Path README = BuildUnderTest.PROJECT_DIR.resolve("README.md");
    private static final String USERS_REGISTRY = "127.0.0.1:5000";
    private static final Duration COMMAND_LIMIT = Duration.ofMinutes(10);
    private static final Duration SERVER_START_LIMIT = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    @Test
    void theReadmeRunsAsPastedInOrderAndEachCommandPrintsOutputShapedLikeItsSample() throws Exception {
        List<String> readme = Files.readAllLines(README, StandardCharsets.UTF_8);
        List<ReadmeScript.Block> blocks = ReadmeScript.parse(readme);
        assertTrue(blocks.size() > 10, "blocks found in README.md: " + blocks.size());
        Files.createDirectories(dir.resolve("registry"));
        List<String> failures = new ArrayList<>();
        StringBuilder transcript = new StringBuilder();
        List<Map.Entry<ReadmeScript.Command, List<String>>> printed = new ArrayList<>();
        int ran = 0;
        try (PrivateDockerd daemon = PrivateDockerd.start(BuildUnderTest.BUILD_DIR.resolve("readme-dockerd"));
             CrashableRegistry registry = CrashableRegistry.start(dir.resolve("registry"), registryAddressLikeTheUsers());
             TerminalSession terminal = TerminalSession.start(BuildUnderTest.PROJECT_DIR, environment(daemon), dir.resolve("terminal"))) {
            String ownRegistry = registry.upstream();
            // jib/imagetool builds itself on first use and says so: built first, so that its commands print their own output
            TerminalSession.Outcome tool = terminal.run("jib/imagetool --help", COMMAND_LIMIT);
            assertEquals(0, tool.exitCode(), String.join("\n", tool.lines()));

            Set<String> built = new HashSet<>();
            String heading = null;
            for (ReadmeScript.Block block : blocks) {
                if (!block.heading().equals(heading)) {
                    terminal.stopBackground(); // a server the last section started ("In another terminal: …")
                    heading = block.heading();
                }
                transcript.append(String.format("%n## README.md:%d %s %s%s%n", block.line(), block.language(), block.kinds(),
                        block.reasons().isEmpty() ? "" : " " + block.reasons()));
                if (block.is(ReadmeScript.Kind.SKIP)) {
                    continue;
                }
                List<ReadmeScript.Command> commands = block.commands();
                for (int c = 0; c < commands.size(); c++) {
                    ReadmeScript.Command command = commands.get(c);
                    String key = ReadmeScript.key(command.text());
                    if (block.is(ReadmeScript.Kind.BUILT) || built.contains(key)) {
                        built.add(key);
                        transcript.append("$ ").append(command.text()).append("    (built by the build under test)\n");
                        continue;
                    }
                    String typed = command.text().replace(USERS_REGISTRY, ownRegistry);
                    boolean inBackground = block.is(ReadmeScript.Kind.BACKGROUND) && c == commands.size() - 1;
                    TerminalSession.Outcome outcome = inBackground
                            ? terminal.startInBackground(typed, Math.max(1, command.sample().size()), SERVER_START_LIMIT)
                            : terminal.run(typed, COMMAND_LIMIT);
                    ran++;
                    List<String> output = outcome.lines().stream().map(line -> line.replace(ownRegistry, USERS_REGISTRY)).toList();
                    transcript.append("$ ").append(command.text()).append(String.format("    (exit %d, %.1f s)%n",
                            outcome.exitCode(), outcome.took().toMillis() / 1000.0));
                    output.forEach(line -> transcript.append(line).append('\n'));
                    String where = "README.md:" + command.line() + " `" + command.text() + "`";
                    boolean mustFail = block.is(ReadmeScript.Kind.FAILS);
                    if (mustFail == (outcome.exitCode() == 0)) {
                        failures.add(where + (mustFail ? " exited 0, the README shows it failing" : " exited " + outcome.exitCode())
                                + ":\n    " + String.join("\n    ", output));
                    } else if (block.language().equals("console") && !OutputShape.same(command.sample(), output)) {
                        // a shell block shows no output: only its exit code counts
                        failures.add(where + " printed output of another shape than its sample:\n  README:\n    "
                                + String.join("\n    ", command.sample()) + "\n  printed:\n    " + String.join("\n    ", output));
                    }
                    if (block.language().equals("console")) {
                        printed.add(Map.entry(command, output));
                    }
                }
            }
        } finally {
            Files.writeString(BuildUnderTest.BUILD_DIR.resolve("readme-walkthrough.txt"), transcript);
        }
        if (Boolean.getBoolean("readme.update")) {
            Files.write(README, withSamples(readme, printed), StandardCharsets.UTF_8);
        }
        System.out.printf("[readme] %d blocks, %d commands run; transcript in %s%n", blocks.size(), ran,
                BuildUnderTest.BUILD_DIR.resolve("readme-walkthrough.txt"));
        assertTrue(failures.isEmpty(), failures.size() + " of " + ran + " README commands:\n" + String.join("\n", failures));
    }

    /**
     * DOCKER_HOST and DOCKER_CONFIG of the test's daemon, a store of its own for jib/imagetool, the test's JDK, one
     * locale (sorted listings come out in one order), and a curl config without the progress meter, which curl
     * prints only when its output is not a terminal.
     */
    private Map<String, String> environment(PrivateDockerd daemon) throws java.io.IOException {
        Map<String, String> env = new java.util.HashMap<>(daemon.env());
        env.put("IMAGETOOL_STORE", dir.resolve("imagetool-store").toString());
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("LC_ALL", "C.UTF-8");
        Path curlHome = Files.createDirectories(dir.resolve("curl"));
        Files.writeString(curlHome.resolve(".curlrc"), "no-progress-meter\n");
        env.put("CURL_HOME", curlHome.toString());
        return env;
    }

    /**
     * A free {@code 127.X.Y.Z:5000} as long as {@code 127.0.0.1:5000}: the whole 127.0.0.0/8 is loopback, and with
     * an address of the same length the tables that show it stay aligned as a run against 127.0.0.1:5000 prints them.
     */
    private static String registryAddressLikeTheUsers() throws java.io.IOException {
        java.util.Random random = new java.util.Random();
        for (int attempt = 0; attempt < 50; attempt++) {
            String host = "127." + random.nextInt(10) + "." + random.nextInt(10) + "." + (2 + random.nextInt(8));
            try (java.net.ServerSocket probe = new java.net.ServerSocket(5000, 1, java.net.InetAddress.getByName(host))) {
                return host + ":5000";
            } catch (java.net.BindException taken) {
                // another one
            }
        }
        throw new AssertionError("no free 127.X.Y.Z:5000 in 50 tries");
    }

    /** {@code readme} with each command's sample output replaced by what it printed. */
    private static List<String> withSamples(List<String> readme, List<Map.Entry<ReadmeScript.Command, List<String>>> printed) {
        List<String> updated = new ArrayList<>(readme);
        for (int i = printed.size() - 1; i >= 0; i--) { // from the end: earlier line numbers stay valid
            ReadmeScript.Command command = printed.get(i).getKey();
            List<String> region = updated.subList(command.outputFrom(), command.outputTo());
            region.clear();
            region.addAll(printed.get(i).getValue());
        }
        return updated;
    }
}
