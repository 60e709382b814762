package com.example.gsping.images;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every page of the repository that has commands, pasted in order into a terminal, one test per page: README.md
 * first, then every other {@code *.md} outside {@code target/} with a {@code shell} or {@code console} block. Every
 * block's commands (see {@link ReadmeScript} for the markers that skip a block or say how to run it) must exit 0 and
 * print output of the shape of its sample ({@link OutputShape}). Each page starts where the README's first command
 * leaves a user (the images built), in a terminal, a Docker daemon, a registry and an imagetool store of its own.
 * Nothing of the user's is used: the commands talk to a {@link PrivateDockerd} (DOCKER_HOST, DOCKER_CONFIG), to a
 * registry in place of 127.0.0.1:5000 (on another loopback address, port 5000: the one literal rewritten in the
 * commands, and back in their output) and to a store of their own (IMAGETOOL_STORE); all three go after the page.
 * Commands run in the project directory, as the pages say, so a Maven command there writes into {@code target/} (the
 * same bytes: the builds are reproducible).
 * <p>
 * It writes what every command printed to {@code target/readme-walkthrough/PAGE.txt}; with
 * {@code -Dreadme.update=true} it also puts that output into the page as the sample output, so that each page shows
 * one real run (a sample with an {@value OutputShape#ELISION} line is kept as it is while it matches).
 */
@NeedsRoot("starts a Docker daemon of its own (dockerd needs root)")
class ReadmeWalkthroughIT {

    private static final String USERS_REGISTRY = "127.0.0.1:5000";
    private static final Duration COMMAND_LIMIT = Duration.ofMinutes(10);
    private static final Duration SERVER_START_LIMIT = Duration.ofSeconds(90);
    private static final Path TRANSCRIPTS = BuildUnderTest.BUILD_DIR.resolve("readme-walkthrough");

    @TempDir
    Path dir;

    @TestFactory
    Stream<DynamicTest> everyPageRunsAsPastedInOrderAndEachCommandPrintsOutputShapedLikeItsSample() throws IOException {
        List<Path> pages = ReadmeScript.pages(BuildUnderTest.PROJECT_DIR);
        assertEquals(BuildUnderTest.PROJECT_DIR.resolve("README.md"), pages.get(0), "README.md is the first page: " + pages);
        assertTrue(pages.size() > 3, "pages with commands: " + pages);
        // what the build under test did (marked built on any page) is not run again on any page
        Set<String> built = new HashSet<>();
        for (Path page : pages) {
            for (ReadmeScript.Block block : ReadmeScript.parse(Files.readAllLines(page, StandardCharsets.UTF_8))) {
                if (block.is(ReadmeScript.Kind.BUILT)) {
                    block.commands().forEach(command -> built.add(ReadmeScript.key(command.text())));
                }
            }
        }
        Files.createDirectories(TRANSCRIPTS);
        return pages.stream().map(page -> DynamicTest.dynamicTest(name(page), () -> walk(page, built)));
    }

    private static String name(Path page) {
        return BuildUnderTest.PROJECT_DIR.relativize(page).toString();
    }

    private void walk(Path page, Set<String> built) throws Exception {
        String name = name(page);
        List<String> lines = Files.readAllLines(page, StandardCharsets.UTF_8);
        List<ReadmeScript.Block> blocks = ReadmeScript.parse(lines);
        Path own = Files.createDirectories(dir.resolve(name.replace('/', '_')));
        Files.createDirectories(own.resolve("registry"));
        List<String> failures = new ArrayList<>();
        StringBuilder transcript = new StringBuilder();
        List<Map.Entry<ReadmeScript.Command, List<String>>> printed = new ArrayList<>();
        int ran = 0;
        int skipped = 0;
        try (PrivateDockerd daemon = PrivateDockerd.start(BuildUnderTest.BUILD_DIR.resolve("readme-dockerd"));
             CrashableRegistry registry = CrashableRegistry.start(own.resolve("registry"), registryAddressLikeTheUsers());
             TerminalSession terminal = TerminalSession.start(BuildUnderTest.PROJECT_DIR, environment(daemon, own), own.resolve("terminal"))) {
            String ownRegistry = registry.upstream();
            // jib/imagetool builds itself on first use and says so: built first, so that its commands print their own output
            TerminalSession.Outcome tool = terminal.run("jib/imagetool --help", COMMAND_LIMIT);
            assertEquals(0, tool.exitCode(), String.join("\n", tool.lines()));

            String heading = null;
            for (ReadmeScript.Block block : blocks) {
                if (!block.heading().equals(heading)) {
                    terminal.stopBackground(); // a server the last section started ("In another terminal: …")
                    heading = block.heading();
                }
                transcript.append(String.format("%n## %s:%d %s %s%s%n", name, block.line(), block.language(), block.kinds(),
                        block.reasons().isEmpty() ? "" : " " + block.reasons()));
                if (block.is(ReadmeScript.Kind.SKIP)) {
                    skipped++;
                    continue;
                }
                List<ReadmeScript.Command> commands = block.commands();
                for (int c = 0; c < commands.size(); c++) {
                    ReadmeScript.Command command = commands.get(c);
                    if (built.contains(ReadmeScript.key(command.text()))) {
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
                    String where = name + ":" + command.line() + " `" + command.text() + "`";
                    boolean mustFail = block.is(ReadmeScript.Kind.FAILS);
                    boolean sameShape = OutputShape.same(command.sample(), output);
                    if (mustFail == (outcome.exitCode() == 0)) {
                        failures.add(where + (mustFail ? " exited 0, the page shows it failing" : " exited " + outcome.exitCode())
                                + ":\n    " + String.join("\n    ", output));
                    } else if (block.language().equals("console") && !sameShape) {
                        // a shell block shows no output: only its exit code counts
                        failures.add(where + " printed output of another shape than its sample:\n  page:\n    "
                                + String.join("\n    ", command.sample()) + "\n  printed:\n    " + String.join("\n    ", output));
                    }
                    if (block.language().equals("console") && !(sameShape && OutputShape.elides(command.sample()))) {
                        printed.add(Map.entry(command, output));
                    }
                }
            }
        } finally {
            Files.writeString(TRANSCRIPTS.resolve(name.replace('/', '_') + ".txt"), transcript);
        }
        if (Boolean.getBoolean("readme.update")) {
            Files.write(page, withSamples(lines, printed), StandardCharsets.UTF_8);
        }
        System.out.printf("[readme] %s: %d blocks (%d skipped), %d commands run; transcript in %s%n", name, blocks.size(), skipped,
                ran, TRANSCRIPTS);
        assertFalse(ran == 0 && skipped < blocks.size(), name + ": no command ran");
        assertTrue(failures.isEmpty(), failures.size() + " of " + ran + " commands of " + name + ":\n" + String.join("\n", failures));
    }

    /**
     * DOCKER_HOST and DOCKER_CONFIG of the page's daemon, a store of its own for jib/imagetool, the test's JDK, one
     * locale (sorted listings come out in one order), and a curl config without the progress meter, which curl
     * prints only when its output is not a terminal.
     */
    private static Map<String, String> environment(PrivateDockerd daemon, Path own) throws IOException {
        Map<String, String> env = new java.util.HashMap<>(daemon.env());
        env.put("IMAGETOOL_STORE", own.resolve("imagetool-store").toString());
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("LC_ALL", "C.UTF-8");
        Path curlHome = Files.createDirectories(own.resolve("curl"));
        Files.writeString(curlHome.resolve(".curlrc"), "no-progress-meter\n");
        env.put("CURL_HOME", curlHome.toString());
        return env;
    }

    /**
     * A free {@code 127.X.Y.Z:5000} as long as {@code 127.0.0.1:5000}: the whole 127.0.0.0/8 is loopback, and with
     * an address of the same length the tables that show it stay aligned as a run against 127.0.0.1:5000 prints them.
     */
    private static String registryAddressLikeTheUsers() throws IOException {
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

    /** {@code page} with each command's sample output replaced by what it printed. */
    private static List<String> withSamples(List<String> page, List<Map.Entry<ReadmeScript.Command, List<String>>> printed) {
        List<String> updated = new ArrayList<>(page);
        for (int i = printed.size() - 1; i >= 0; i--) { // from the end: earlier line numbers stay valid
            ReadmeScript.Command command = printed.get(i).getKey();
            List<String> region = updated.subList(command.outputFrom(), command.outputTo());
            region.clear();
            region.addAll(printed.get(i).getValue());
        }
        return updated;
    }
}
