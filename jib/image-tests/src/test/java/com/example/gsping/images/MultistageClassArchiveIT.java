package com.example.gsping.images;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static com.example.gsping.images.BuildUnderTest.MULTISTAGE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The lean image's JVM really uses the class archive the build dumped (jib/multistage/class-archive.sh): the
 * multistage tarball, loaded into a {@link PrivateDockerd}, starts and answers with the archive required
 * ({@code -Xshare:on}: a JVM that cannot map it, because it was dumped by another JVM or for other jars, exits
 * at once), and with class-load logging nearly all the Micronaut and Netty classes it loads up to its first
 * requests come from it. A class list gone stale (the service now loads classes it does not name) fails the second.
 */
@NeedsRoot("starts a Docker daemon of its own (dockerd needs root)")
class MultistageClassArchiveIT {

    /**
     * Added to the image's own command line by the java launcher (JDK_JAVA_OPTIONS), as a user of the image would:
     * the archive must map, or the JVM does not start.
     */
    static final String REQUIRE_CLASS_ARCHIVE = "JDK_JAVA_OPTIONS=-Xshare:on";
    private static final String SHARED = "shared objects file";
    /** Today 2,036 of 2,038 Micronaut and 568 of 569 Netty classes: what is left is generated at run time. */
    private static final double MIN_SHARED = 0.95;
    private static final Duration STARTUP = Duration.ofSeconds(60);
    /** {@code [0.012s][info][class,load] io.netty.util.Version source: shared objects file} */
    private static final Pattern CLASS_LOAD = Pattern.compile("\\[class,load] (\\S+) source: (.+)$", Pattern.MULTILINE);

    private static PrivateDockerd daemon;
    private static DockerCli docker;

    @BeforeAll
    static void loadTheMultistageTarballIntoADaemonOfItsOwn() throws Exception {
        daemon = PrivateDockerd.start(BuildUnderTest.BUILD_DIR.resolve("class-archive-it"));
        docker = daemon.cli();
        docker.ok("load", "--quiet", "--input", BuildUnderTest.outputs(MULTISTAGE).tarball().toString());
    }

    @AfterAll
    static void stopTheDaemon() throws Exception {
        if (daemon != null) {
            daemon.close();
        }
    }

    @Test
    void startsAndAnswersWithTheClassArchiveRequired() throws Exception {
        try (Container container = Container.start(docker, MULTISTAGE, FreePort.pick(), "-e", REQUIRE_CLASS_ARCHIVE)
                .awaitReady(STARTUP)) {
            container.assertServes();
            container.stop();
            String log = allLogs(container);
            assertTrue(log.contains("Picked up " + REQUIRE_CLASS_ARCHIVE.replace("=", ": ")), "the JVM got -Xshare:on: " + log);
            assertEquals("exited 0", container.statusAndExitCode(), log);
        }
    }

    @Test
    void nearlyAllMicronautAndNettyClassesLoadedUpToTheFirstRequestsComeFromTheArchive() throws Exception {
        String log;
        try (Container container = Container.start(docker, MULTISTAGE, FreePort.pick(), "-e", "JDK_JAVA_OPTIONS=-Xlog:class+load")
                .awaitReady(STARTUP)) {
            container.assertServes();
            container.stop();
            log = allLogs(container);
        }
        Map<String, int[]> counts = new TreeMap<>(); // package prefix -> {from the archive, loaded}
        Matcher load = CLASS_LOAD.matcher(log);
        while (load.find()) {
            String prefix = load.group(1).startsWith("io.micronaut.") ? "io.micronaut" : load.group(1).startsWith("io.netty.") ? "io.netty" : "other";
            int[] count = counts.computeIfAbsent(prefix, key -> new int[2]);
            count[0] += load.group(2).strip().equals(SHARED) ? 1 : 0;
            count[1]++;
        }
        counts.forEach((prefix, count) -> System.out.printf("[class archive] %s: %,d of %,d classes loaded from the %s%n",
                prefix, count[0], count[1], SHARED));
        for (String prefix : new String[] {"io.micronaut", "io.netty"}) {
            int[] count = counts.getOrDefault(prefix, new int[2]);
            assertTrue(count[1] >= 100, prefix + ": the log shows its classes loading: " + count[1]);
            assertTrue(count[0] >= MIN_SHARED * count[1], prefix + ": " + count[0] + " of " + count[1]
                    + " classes from the archive, under " + Math.round(MIN_SHARED * 100) + " %: it is not used, or app.classlist is stale");
        }
    }

    /** All the container wrote (class-load logging goes to stdout), not only the tail {@link Container#logs()} keeps. */
    private static String allLogs(Container container) throws Exception {
        DockerCli.Result logs = docker.run("logs", container.name());
        return logs.stdout() + logs.stderr();
    }
}
