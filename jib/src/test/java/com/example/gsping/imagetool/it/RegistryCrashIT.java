package com.example.gsping.imagetool.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.gsping.imagetool.fixtures.CliRun;
import com.example.gsping.imagetool.fixtures.FixtureImages;
import com.example.gsping.imagetool.fixtures.LocalServices;
import com.example.gsping.imagetool.fixtures.RegistryContents;
import com.example.gsping.imagetool.fixtures.RegistryFront;
import com.example.gsping.imagetool.fixtures.RegistryProcess;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A registry of the test's own killed (SIGKILL) at each request of a {@code push} and of an
 * {@code untag} in turn, one run per request until a run needs fewer requests than the crash
 * point: every interrupted run fails in one line, exit 1; with the registry back on the same
 * storage, every tag still resolves to a complete image, the other tag keeps its digest, and
 * the very same command then succeeds.
 */
class RegistryCrashIT {
  @TempDir static Path registryDir;
  private static RegistryProcess registry;
  private static RegistryFront front;

  @TempDir Path store;
  private FixtureImages images;

  @BeforeAll
  static void startRegistry() throws Exception {
    registry = RegistryProcess.start(registryDir);
    front = RegistryFront.open(registry);
  }

  @AfterAll
  static void stopRegistry() throws Exception {
    front.close();
    registry.close();
  }

  @BeforeEach
  void loadFixtures() throws Exception {
    images = FixtureImages.shared();
    CliRun.ok(store, "load", images.latest.toString());
    CliRun.ok(store, "load", images.multistage.toString());
  }

  @Test
  void pushCrashedAtAnyRequestFailsInOneLineAndSucceedsOnceTheRegistryIsBack() throws Exception {
    int crashes = 0;
    for (int nth = 1; ; nth++) {
      String repo = LocalServices.uniqueRepository("push-crash");
      String keep = digestOf(CliRun.ok(store, "push", "gsping-fixture:latest", front.address() + "/" + repo + ":keep"));
      String[] push = {"push", "gsping-fixture:multistage", front.address() + "/" + repo + ":multistage"};

      CliRun crashed = front.crashingRegistryAt("", nth, () -> CliRun.run(store, push));
      String at = front.crashedAt();
      if (at == null) { // the push needs fewer requests: every crash point was covered
        assertEquals(0, crashed.exitCode(), crashed.err());
        break;
      }
      crashes++;
      assertFailedInOneLine(crashed, at);
      front.restartRegistry();
      RegistryContents contents = new RegistryContents(registry.address, repo);
      assertEquals(Map.of("keep", keep), contents.completeTags(), "after the crash at " + at);

      String pushed = digestOf(CliRun.ok(store, push));
      assertEquals(Map.of("keep", keep, "multistage", pushed), contents.completeTags(), "after the rerun");
    }
    // HEAD of 6 blobs, upload (POST + PUT) of the 2 the repository lacks, the manifest
    assertEquals(11, crashes, "crash points");
  }

  @Test
  void untagCrashedAtAnyRequestFailsInOneLineAndSucceedsOnceTheRegistryIsBack() throws Exception {
    int crashes = 0;
    boolean placeholderSeen = false;
    for (int nth = 1; ; nth++) {
      String repo = LocalServices.uniqueRepository("untag-crash");
      String keep = digestOf(CliRun.ok(store, "push", "gsping-fixture:latest", front.address() + "/" + repo + ":keep"));
      CliRun.ok(store, "tag", front.address() + "/" + repo + ":keep", front.address() + "/" + repo + ":gone");
      String[] untag = {"untag", front.address() + "/" + repo + ":gone"};

      CliRun crashed = front.crashingRegistryAt("", nth, () -> CliRun.run(store, untag));
      String at = front.crashedAt();
      if (at == null) {
        assertEquals(0, crashed.exitCode(), crashed.err());
        break;
      }
      crashes++;
      front.restartRegistry();
      RegistryContents contents = new RegistryContents(registry.address, repo);
      Map<String, String> tags = contents.completeTags();
      assertEquals(keep, tags.get("keep"), "after the crash at " + at);
      if (at.startsWith("DELETE /v2/" + repo + "/blobs/")) {
        // only the placeholder's config blob was left to clean up: the tag is gone, and that is success
        assertEquals(0, crashed.exitCode(), crashed.err());
        assertEquals(Map.of("keep", keep), tags);
        continue;
      }
      assertFailedInOneLine(crashed, at);
      String gone = tags.get("gone");
      if (!keep.equals(gone)) { // the tag was moved to the placeholder before the registry died
        placeholderSeen = true;
        assertEquals(0, contents.manifest("gone").path("layers").size(), "an empty placeholder, not another image");
        assertTrue(crashed.err().contains(repo + ":gone may be left on placeholder " + gone
            + " (an empty image): run untag again once the registry is back"), crashed.err());
      }

      assertEquals("Untagged: " + front.address() + "/" + repo + ":gone\n", CliRun.ok(store, untag));
      assertEquals(Map.of("keep", keep), contents.completeTags(), "after the rerun");
    }
    assertTrue(placeholderSeen, "some crash left the tag on the placeholder");
    // HEAD and DELETE of the tag, placeholder config upload (POST + PUT), placeholder PUT and
    // probe DELETE, tag PUT, placeholder DELETE, config blob DELETE
    assertEquals(9, crashes, "crash points");
  }

  /** One line naming the registry: refused (the JDK retried an idempotent request) or lost mid-request. */
  private static void assertFailedInOneLine(CliRun run, String crashedAt) {
    assertEquals(1, run.exitCode(), "crash at " + crashedAt + ": " + run.err());
    assertTrue(Pattern.matches("imagetool: registry " + Pattern.quote(front.address())
        + "( unreachable: Connection refused|: connection lost before it answered \\([^)]+\\))(; .*)?\n", run.err()),
        "crash at " + crashedAt + ": " + run.err());
  }

  private static String digestOf(String pushOutput) {
    String last = pushOutput.lines().reduce((a, b) -> b).orElseThrow();
    return last.replaceAll(".*digest: (sha256:[0-9a-f]{64}) .*", "$1");
  }
}
