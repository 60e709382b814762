package com.example.gsping.imagetool.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.example.gsping.imagetool.fixtures.LayerTar;
import java.io.ByteArrayInputStream;
import org.junit.jupiter.api.Test;

class DockerLayerSizeTest {

  // The case measured on this machine's daemon with docker import: Docker said 1027 bytes.
  @Test
  void countsRegularFilesOnceAndSymlinkTargetLengthsNotTarLength() throws Exception {
    byte[] tar = new LayerTar()
        .dir("d")
        .file("d/a", LayerTar.bytes(1000, 1))
        .hardlink("d/hard", "d/a")
        .symlink("d/link", "/some/long/target/path/xyz")
        .file("e", "x")
        .file("empty", new byte[0])
        .build();
    org.junit.jupiter.api.Assertions.assertTrue(tar.length > 4000, "the tar's own length (" + tar.length + ") is not what Docker reports");
    assertEquals(1027, DockerLayerSize.of(new ByteArrayInputStream(tar)));
  }

  @Test
  void pathWrittenTwiceInOneLayerCountsOnce() throws Exception {
    byte[] tar = new LayerTar().file("f", LayerTar.bytes(500, 1)).file("f", LayerTar.bytes(200, 2)).build();
    assertEquals(200, DockerLayerSize.of(new ByteArrayInputStream(tar)));
  }

  @Test
  void whiteoutsAndDirectoriesCountNothing() throws Exception {
    byte[] tar = new LayerTar().dir("etc").file("etc/.wh.motd", new byte[0]).file("etc/.wh..wh..opq", new byte[0]).build();
    assertEquals(0, DockerLayerSize.of(new ByteArrayInputStream(tar)));
  }
}
