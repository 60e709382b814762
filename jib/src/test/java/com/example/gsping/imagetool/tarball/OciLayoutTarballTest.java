package com.example.gsping.imagetool.tarball;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.example.gsping.imagetool.fixtures.CliRun;
import com.example.gsping.imagetool.fixtures.FixtureImages;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OciLayoutTarballTest {
  @TempDir Path first;
  @TempDir Path second;
  @TempDir Path work;

  /** The store is an OCI layout: tarred up, it loads into another store with the same IDs. */
  @Test
  void ociLayoutTarballLoadsWithNamesAndSameImageIds() throws Exception {
    FixtureImages images = FixtureImages.shared();
    CliRun.ok(first, "load", images.latest.toString());
    CliRun.ok(first, "load", images.multistage.toString());
    Path tar = work.resolve("oci.tar");
    try (OutputStream out = Files.newOutputStream(tar); TarArchiveOutputStream t = new TarArchiveOutputStream(out);
        Stream<Path> files = Files.walk(first)) {
      for (Path p : files.filter(Files::isRegularFile).filter(p -> !first.relativize(p).startsWith(".imagetool")).toList()) {
        TarArchiveEntry e = new TarArchiveEntry(first.relativize(p).toString());
        e.setSize(Files.size(p));
        t.putArchiveEntry(e);
        Files.copy(p, t);
        t.closeArchiveEntry();
      }
    }
    List<String> loaded = CliRun.ok(second, "load", tar.toString()).lines().sorted().toList();
    assertEquals(List.of("Loaded image: gsping-fixture:latest", "Loaded image: gsping-fixture:multistage",
        "Loaded image: gsping-fixture:v1.0"), loaded);
    assertEquals(CliRun.ok(first, "ls"), CliRun.ok(second, "ls"));
  }
}
