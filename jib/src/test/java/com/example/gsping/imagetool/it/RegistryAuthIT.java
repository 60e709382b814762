package com.example.gsping.imagetool.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.gsping.imagetool.fixtures.AuthRegistry;
import com.example.gsping.imagetool.fixtures.CliRun;
import com.example.gsping.imagetool.fixtures.FixtureImages;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Credentials from a docker config.json against a real htpasswd-protected registry. */
class RegistryAuthIT {
  @TempDir static Path dir;
  private static AuthRegistry registry;
  private static Path store;

  @BeforeAll
  static void startRegistry() throws Exception {
    registry = AuthRegistry.start(dir);
    store = dir.resolve("store");
    CliRun.ok(store, "load", FixtureImages.shared().latest.toString());
  }

  @AfterAll
  static void stopRegistry() throws Exception {
    if (registry != null) {
      registry.close();
    }
  }

  @Test
  void credentialsFromConfigJsonAuthsAreUsedForPushTagLsAndUntag() throws Exception {
    Path config = registry.dockerConfig(dir.resolve("good"), AuthRegistry.PASSWORD);
    String target = registry.address + "/app";
    CliRun push = run(config, "push", "gsping-fixture:latest", target + ":latest");
    assertEquals(0, push.exitCode(), push.err());
    assertEquals(0, run(config, "tag", target + ":latest", target + ":v1.0").exitCode());
    assertTrue(run(config, "ls", target).out().contains(" v1.0 "));
    CliRun untag = run(config, "untag", target + ":v1.0");
    assertEquals(0, untag.exitCode(), untag.err());
    List<String> tags = run(config, "ls", target).outLines();
    assertEquals(2, tags.size(), tags.toString());
  }

  @Test
  void refusedCredentialsFailWithOneLineNamingRegistryAndUser() throws Exception {
    Path config = registry.dockerConfig(dir.resolve("bad"), "wrong-password");
    CliRun r = run(config, "push", "gsping-fixture:latest", registry.address + "/app:latest");
    assertEquals(1, r.exitCode());
    assertEquals(1, r.err().lines().count(), r.err());
    assertTrue(r.err().startsWith("imagetool: registry " + registry.address + " refused the credentials of user 'imagetool'"), r.err());
  }

  @Test
  void missingCredentialsSayWhereTheyWereLookedFor() throws Exception {
    Path empty = dir.resolve("none");
    java.nio.file.Files.createDirectories(empty);
    CliRun r = run(empty, "ls", registry.address + "/app");
    assertEquals(1, r.exitCode());
    assertTrue(r.err().startsWith("imagetool: registry " + registry.address + " requires authentication and "
        + empty.resolve("config.json") + " has no credentials for it"), r.err());
  }

  private static CliRun run(Path configDir, String... args) {
    String[] all = new String[args.length + 2];
    all[0] = "--config";
    all[1] = configDir.toString();
    System.arraycopy(args, 0, all, 2, args.length);
    return CliRun.run(store, all);
  }
}
