package com.example.gsping.imagetool.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.gsping.imagetool.fixtures.CliRun;
import com.example.gsping.imagetool.fixtures.FixtureImages;
import com.example.gsping.imagetool.fixtures.ImageToolProcess;
import com.example.gsping.imagetool.fixtures.PrivateTmpfs;
import com.example.gsping.imagetool.fixtures.Skopeo;
import com.example.gsping.imagetool.fixtures.StoreFiles;
import com.sun.security.auth.module.UnixSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reading needs no write access and none of the tool's own files: a store of another user, a
 * read-only mount, and an OCI layout written by skopeo. As root or as any user.
 */
class ReadOnlyAndForeignStoresIT {
  private static final List<String> NOBODY = List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups");
  /**
   * A user who may not write the store this one made. Root becomes nobody (root has no /etc/subuid range, and needs
   * none); any other user becomes nobody of a user namespace whose uids but 0 (this user) are its subordinate ones
   * (/etc/subuid, through newuidmap): on the host a uid of its own, the only other user a plain user may become.
   */
  private static final List<String> ANOTHER_USER = new UnixSystem().getUid() == 0 ? NOBODY
      : Stream.concat(Stream.of("unshare", "--map-auto", "--map-root-user"), NOBODY.stream()).toList();
  private static final List<String> ME = List.of();

  @TempDir Path dir;

  @Test
  void anotherUserReadsAStoreTheyMayNotWriteAndCannotChangeIt() throws Exception {
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path store = dir.resolve("store");
    CliRun.ok(store, "load", FixtureImages.shared().latest.toString());
    CliRun.ok(store, "load", FixtureImages.shared().multistage.toString());
    Map<String, String> before = StoreFiles.snapshot(store);

    assertReads(ANOTHER_USER, store);
    CliRun tag = ImageToolProcess.run(ANOTHER_USER, store, "tag", "gsping-fixture:latest", "gsping-fixture:mine");
    assertEquals(1, tag.exitCode(), tag.out());
    assertEquals("imagetool: cannot write to image store " + store + ": permission denied (" + store.resolve(".imagetool/lock") + ")\n", tag.out());
    assertEquals(before, StoreFiles.snapshot(store));
  }

  @Test
  void aStoreOnAReadOnlyMountIsReadableAndRefusesWritesInOneLine() throws Exception {
    try (PrivateTmpfs mount = PrivateTmpfs.mount(dir.resolve("mnt"), "4m")) {
      Path store = mount.path().resolve("store");
      CliRun.ok(store, "load", FixtureImages.shared().latest.toString());
      CliRun.ok(store, "load", FixtureImages.shared().multistage.toString());
      mount.remountReadOnly();
      assertReads(ME, store);
      CliRun untag = CliRun.run(store, "untag", "gsping-fixture:v1.0");
      assertEquals(1, untag.exitCode());
      assertEquals("imagetool: cannot write to image store " + store + ": read-only file system\n", untag.err());
    }
  }

  @Test
  void anOciLayoutWrittenBySkopeoIsReadWithoutAddingAnyFile() throws Exception {
    Path layout = dir.resolve("skopeo");
    Skopeo.run("copy", "docker-archive:" + FixtureImages.shared().latest, "oci:" + layout + ":gsping-fixture:latest");
    Skopeo.run("copy", "docker-archive:" + FixtureImages.shared().multistage, "oci:" + layout + ":multistage");
    Map<String, String> before = StoreFiles.snapshot(layout);

    List<String> ls = CliRun.ok(layout, "ls").lines().toList();
    assertTrue(ls.stream().anyMatch(l -> l.matches("gsping-fixture +latest +[0-9a-f]{12} .*")), ls.toString());
    assertTrue(ls.stream().anyMatch(l -> l.matches("<none> +multistage +[0-9a-f]{12} .*")), "a bare tag: " + ls);
    CliRun.ok(layout, "history", "gsping-fixture:latest");
    assertEquals("", CliRun.ok(layout, "verify").lines().filter(l -> !l.endsWith(": ok")).reduce("", String::concat));
    assertEquals(before, StoreFiles.snapshot(layout));
    assertFalse(Files.exists(layout.resolve(".imagetool")), "reading adds none of the tool's files");
  }

  /** ls, history, compare and verify, as {@code user}. */
  private static void assertReads(List<String> user, Path store) throws Exception {
    for (String[] args : List.of(new String[] {"ls"}, new String[] {"history", "gsping-fixture:latest"},
        new String[] {"compare", "gsping-fixture:latest", "gsping-fixture:multistage"}, new String[] {"verify"})) {
      CliRun r = ImageToolProcess.run(user, store, args);
      assertEquals(0, r.exitCode(), String.join(" ", args) + ": " + r.out());
    }
    assertTrue(ImageToolProcess.run(user, store, "ls").out().contains(" multistage "));
  }
}
