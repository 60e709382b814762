package com.example.gsping.imagetool.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.gsping.imagetool.fixtures.FixtureImages;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The jib/imagetool launcher and the packaged jar, as separate processes. */
class LauncherIT {
  private static final Path LAUNCHER = Path.of(System.getProperty("imagetool.launcher", "imagetool"));

  @TempDir Path store;

  record Result(int exit, String out, String err) {}

  private Result run(String... args) throws Exception {
    Process p = start(args);
    return finish(p);
  }

  private Process start(String... args) throws Exception {
    return start(java.util.Map.of(), args);
  }

  private Process start(java.util.Map<String, String> env, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("bash", LAUNCHER.toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("IMAGETOOL_STORE", store.toString());
    pb.environment().putAll(env);
    return pb.start();
  }

  /**
   * The shaded jar's credential path end to end: config.json names a credential helper
   * (credHelpers), the helper program is run with "get", and its answer logs in to a real
   * htpasswd registry. The helper here is a small script standing in for e.g.
   * docker-credential-pass.
   */
  @Test
  void credentialHelperFromConfigJsonLogsInToAnAuthenticatedRegistry(@TempDir Path dir) throws Exception {
    try (com.example.gsping.imagetool.fixtures.AuthRegistry registry =
        com.example.gsping.imagetool.fixtures.AuthRegistry.start(dir)) {
      Path bin = Files.createDirectories(dir.resolve("bin"));
      Path helper = bin.resolve("docker-credential-imagetool-test");
      Files.writeString(helper, "#!/bin/sh\nread server\n"
          + "printf '{\"ServerURL\":\"%s\",\"Username\":\"%s\",\"Secret\":\"%s\"}' \"$server\" '"
          + com.example.gsping.imagetool.fixtures.AuthRegistry.USER + "' '"
          + com.example.gsping.imagetool.fixtures.AuthRegistry.PASSWORD + "'\n");
      helper.toFile().setExecutable(true);
      Path config = Files.createDirectories(dir.resolve("docker-config"));
      Files.writeString(config.resolve("config.json"),
          "{\"credHelpers\":{\"" + registry.address + "\":\"imagetool-test\"}}");
      java.util.Map<String, String> env = java.util.Map.of(
          "DOCKER_CONFIG", config.toString(), "PATH", bin + ":" + System.getenv("PATH"));
      assertEquals(0, finish(start(env, "load", FixtureImages.shared().multistage.toString())).exit());
      Result push = finish(start(env, "push", "gsping-fixture:multistage", registry.address + "/app:multistage"));
      assertEquals(0, push.exit(), push.err());
      Result ls = finish(start(env, "ls", registry.address + "/app"));
      assertTrue(ls.out().contains(" multistage "), ls.out() + ls.err());
    }
  }

  private static Result finish(Process p) throws Exception {
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    return new Result(p.exitValue(), out, err);
  }

  @Test
  void launcherRunsThePackagedJarWithStoreFromEnvironment() throws Exception {
    Result help = run("--help");
    assertEquals(0, help.exit(), help.err());
    for (String command : List.of("ls", "tag", "untag", "history", "compare", "load", "push")) {
      assertTrue(help.out().contains("  " + command), help.out());
    }
    Result load = run("load", FixtureImages.shared().latest.toString());
    assertEquals(0, load.exit(), load.err());
    assertTrue(Files.isRegularFile(store.resolve("index.json")), "IMAGETOOL_STORE was used");
    assertTrue(run("ls", "gsping-fixture").out().contains("gsping-fixture   v1.0"));
  }

  @Test
  void failuresPrintOneLineAndExitOneUsageErrorsExitTwo() throws Exception {
    Result unknown = run("history", "nothing:here");
    assertEquals(1, unknown.exit());
    assertEquals("imagetool: No such image: nothing:here\n", unknown.err());
    Result usage = run("tag", "only-one");
    assertEquals(2, usage.exit());
    assertTrue(usage.err().startsWith("imagetool: Missing required parameter"), usage.err());
  }

  @Test
  void concurrentLoadsIntoOneStoreBothLand() throws Exception {
    FixtureImages images = FixtureImages.shared();
    Process a = start("load", images.latest.toString());
    Process b = start("load", images.multistage.toString());
    Result ra = finish(a);
    Result rb = finish(b);
    assertEquals(0, ra.exit(), ra.err());
    assertEquals(0, rb.exit(), rb.err());
    String ls = run("ls").out();
    for (String tag : List.of(" latest ", " v1.0 ", " multistage ")) {
      assertTrue(ls.contains(tag), ls);
    }
  }
}
