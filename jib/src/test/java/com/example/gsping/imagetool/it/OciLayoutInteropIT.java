package com.example.gsping.imagetool.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.gsping.imagetool.fixtures.CliRun;
import com.example.gsping.imagetool.fixtures.FixtureImages;
import com.example.gsping.imagetool.fixtures.Skopeo;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local store is a real OCI image layout: skopeo (installed by jib/local-env.sh) reads it. */
class OciLayoutInteropIT {
  @TempDir Path store;
  @TempDir Path work;

  @Test
  void skopeoReadsStoredImagesByTheirFullNameAndTheCopyLoadsBackWithTheSameId() throws Exception {
    CliRun.ok(store, "load", FixtureImages.shared().multistage.toString());
    String inspect = Skopeo.run("inspect", "--raw", "oci:" + store + ":gsping-fixture:multistage");
    assertTrue(inspect.contains("application/vnd.oci.image.manifest.v1+json"), inspect);

    Path out = work.resolve("from-skopeo.tar");
    Skopeo.run("copy", "oci:" + store + ":gsping-fixture:multistage", "docker-archive:" + out + ":copied/by-skopeo:1");
    Path other = work.resolve("store");
    assertEquals("Loaded image: copied/by-skopeo:1\n", CliRun.ok(other, "load", out.toString()));
    String id = CliRun.ok(store, "ls", "gsping-fixture:multistage").lines().skip(1).findFirst().orElseThrow().split(" +")[2];
    String copied = CliRun.ok(other, "ls", "copied/by-skopeo:1").lines().skip(1).findFirst().orElseThrow().split(" +")[2];
    assertEquals(id, copied);
  }
}
