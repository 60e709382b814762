package com.example.gsping.imagetool.tarball;

import com.example.gsping.imagetool.image.ImageFormatException;
import com.example.gsping.imagetool.store.OciImageStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code load}: copies the images of a tarball into the local store, all or nothing. Blobs land
 * one by one (each verified); the names appear together when index.json is replaced at the
 * end, so a failure part-way leaves the store as it was (plus unreferenced blobs, swept later).
 */
public final class TarballLoader {
  private TarballLoader() {}

  public static List<LoadedImage> load(OciImageStore store, Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new ImageFormatException("cannot load " + file + ": no such file");
    }
    TarballEntries tar = TarballEntries.open(file);
    return store.write(s -> {
      if (tar.contains("manifest.json")) {
        return DockerArchiveImport.load(s, tar, file);
      }
      if (tar.contains("index.json") && tar.contains("oci-layout")) {
        return OciArchiveImport.load(s, tar, file);
      }
      throw new ImageFormatException(file + " is not an image tarball: it has neither manifest.json"
          + " (docker save, jib:buildTar) nor index.json and oci-layout (OCI layout)");
    });
  }
}
