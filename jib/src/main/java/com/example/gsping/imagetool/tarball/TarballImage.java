package com.example.gsping.imagetool.tarball;

import com.example.gsping.imagetool.ImageToolException;
import com.example.gsping.imagetool.image.Descriptor;
import com.example.gsping.imagetool.image.ImageReader;
import com.example.gsping.imagetool.image.RawManifest;
import com.example.gsping.imagetool.store.LocalRepositoryReader;
import com.example.gsping.imagetool.store.OciImageStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The one image (or index) of a tarball, read without touching the local store: {@code load}ed into
 * a temporary store of its own (as much disk as the tarball's layers), which {@link #close} removes.
 */
public final class TarballImage implements ImageReader, AutoCloseable {
  private final Path file;
  private final Path dir;
  private final LocalRepositoryReader store;
  private final String digest;

  private TarballImage(Path file, Path dir, LocalRepositoryReader store, String digest) {
    this.file = file;
    this.dir = dir;
    this.store = store;
    this.digest = digest;
  }

  /** Whether a command-line argument names a tarball rather than an image reference. */
  public static boolean named(String argument) {
    return argument.endsWith(".tar") || argument.endsWith(".tar.gz") || argument.endsWith(".tgz");
  }

  public static TarballImage open(Path file) throws IOException {
    Path dir = Files.createTempDirectory("imagetool-tarball-");
    try {
      OciImageStore temp = new OciImageStore(dir);
      TarballLoader.load(temp, file);
      List<String> images = temp.index().manifestsOrEmpty().stream().map(Descriptor::digest).distinct().toList();
      if (images.size() != 1) {
        throw new ImageToolException(file + " holds " + images.size() + " images; load it (imagetool load) and name one");
      }
      return new TarballImage(file, dir, new LocalRepositoryReader(temp, file.toString()), images.get(0));
    } catch (IOException | RuntimeException e) {
      delete(dir);
      throw e;
    }
  }

  /** The digest of the tarball's image or index, to resolve. */
  public String digest() {
    return digest;
  }

  @Override
  public RawManifest manifest(String tagOrDigest) throws IOException {
    return store.manifest(tagOrDigest);
  }

  @Override
  public InputStream openBlob(Descriptor blob) throws IOException {
    return store.openBlob(blob);
  }

  @Override
  public String displayName(String tagOrDigest) {
    return file.toString();
  }

  @Override
  public void close() {
    delete(dir);
  }

  private static void delete(Path dir) {
    try (Stream<Path> all = Files.walk(dir)) {
      all.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (IOException | UncheckedIOException e) {
      // a temporary directory left behind is not worth failing a command that succeeded
    }
  }
}
