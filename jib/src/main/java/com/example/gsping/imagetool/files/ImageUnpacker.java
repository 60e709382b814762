package com.example.gsping.imagetool.files;

import com.example.gsping.imagetool.ImageToolException;
import com.example.gsping.imagetool.image.Digests;
import com.example.gsping.imagetool.image.ImageFormatException;
import com.example.gsping.imagetool.image.ImageReader;
import com.example.gsping.imagetool.image.ResolvedImage;
import com.example.gsping.imagetool.image.VerifiedBlobStream;
import com.example.gsping.imagetool.layer.LayerCompression;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * {@code unpack}: an image's filesystem written into a directory, its layers applied in order as
 * Docker applies them to a plain directory: a whiteout {@code .wh.NAME} deletes NAME, an opaque
 * {@code .wh..wh..opq} what lower layers put in its directory, an entry replaces whatever is at its
 * path. Nothing is written outside the directory: an entry whose path leaves it, a hard link to
 * outside it, an entry under a symbolic link (writing there would follow the link), a device node
 * or a FIFO ends the unpack with one line naming the image, the layer and the entry, and
 * what was written is removed; so do the bounds {@code diff} reads layers within ({@link LayerReader}:
 * entries in all, name and link length, PAX headers). Each layer is verified against its digest and
 * diff_id as it streams.
 * Files belong to whoever runs it (tar -x without --same-owner); modes, setuid and sticky bits
 * included, and modification times (of links too) are the layer's. Directories stay writable until the end.
 */
public final class ImageUnpacker {
  private static final String WHITEOUT = ".wh.";
  private static final String OPAQUE = ".wh..wh..opq";
  private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

  private final Path root;
  /** Each directory's mode and time, set once every layer is in (deepest first). */
  private final TreeMap<Path, TarArchiveEntry> directories = new TreeMap<>();
  private long entries;

  private ImageUnpacker(Path root) {
    this.root = root;
  }

  /** Unpacks {@code image} into {@code dir}, which must be empty or absent. */
  public static void unpack(ResolvedImage image, ImageReader reader, Path dir) throws IOException {
    boolean created = !Files.exists(dir, NOFOLLOW);
    if (!created) {
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
        if (entries.iterator().hasNext()) {
          throw new ImageToolException("cannot unpack into " + dir + ": it is not empty");
        }
      }
    }
    Files.createDirectories(dir);
    ImageUnpacker unpacker = new ImageUnpacker(dir.toRealPath());
    try {
      for (ResolvedImage.ImageLayer layer : image.layers()) {
        unpacker.apply(image, reader, layer);
      }
      for (Path d : unpacker.directories.descendingKeySet()) {
        if (Files.isDirectory(d, NOFOLLOW)) {
          unpacker.setModeAndTime(d, unpacker.directories.get(d));
        }
      }
    } catch (IOException | RuntimeException e) {
      deleteRecursively(unpacker.root, !created);
      throw e;
    }
  }

  private void apply(ResolvedImage image, ImageReader reader, ResolvedImage.ImageLayer layer) throws IOException {
    String what = LayerReader.describe(image, layer);
    MessageDigest diffId = Digests.newSha256();
    try (VerifiedBlobStream blob = new VerifiedBlobStream(reader.openBlob(layer.blob()), layer.blob(), what)) {
      InputStream tar = new DigestInputStream(LayerCompression.openUncompressed(blob, what), diffId);
      applyEntries(new LayerReader.BoundedNamesTar(tar, what), what);
      tar.transferTo(OutputStream.nullOutputStream()); // the tar's trailing blocks
      blob.readToEnd();
    } catch (ImageToolException e) {
      throw e;
    } catch (IOException | IllegalArgumentException e) {
      String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      if (why.contains("No space left on device")) {
        throw new ImageToolException("cannot unpack into " + root + ": No space left on device");
      }
      throw new ImageFormatException(what + " cannot be read: " + why + " (damaged or truncated layer)");
    }
    if (!Digests.of(diffId).equals(layer.diffId())) {
      throw new ImageFormatException(what + " does not hold the files its config names (diff_id " + layer.diffId() + ")");
    }
  }

  private void applyEntries(TarArchiveInputStream tar, String what) throws IOException {
    Set<Path> written = new HashSet<>(); // by this layer: an opaque directory keeps them
    TarArchiveEntry e;
    while ((e = tar.getNextEntry()) != null) {
      LayerReader.checkCount(++entries, what);
      Path path = inside(e.getName(), what, e.getName());
      if (path.equals(root)) {
        if (!e.isDirectory()) {
          throw new ImageFormatException(what + ": entry " + e.getName() + " would replace the root directory; refusing it");
        }
        directories.put(root, e);
        continue;
      }
      checkParents(path.getParent(), what, e.getName());
      String name = path.getFileName().toString();
      if (name.equals(OPAQUE)) {
        removeLower(path.getParent(), written);
        continue;
      }
      if (name.startsWith(WHITEOUT)) {
        if (!name.startsWith(WHITEOUT + WHITEOUT)) { // other .wh..wh. names are aufs bookkeeping
          deleteRecursively(path.resolveSibling(name.substring(WHITEOUT.length())), false);
        }
        continue;
      }
      createParents(path.getParent(), written);
      written.add(path);
      if (e.isDirectory()) {
        if (!Files.isDirectory(path, NOFOLLOW)) {
          deleteRecursively(path, false);
          Files.createDirectory(path);
        }
        directories.put(path, e);
        continue;
      }
      deleteRecursively(path, false);
      if (e.isSymbolicLink()) {
        Files.createSymbolicLink(path, Path.of(LayerReader.bounded(e.getLinkName(), what, e.getName()))); // as text: never followed here
        Files.getFileAttributeView(path, BasicFileAttributeView.class, NOFOLLOW)
            .setTimes(FileTime.from(e.getLastModifiedTime().toInstant()), null, null);
      } else if (e.isLink()) {
        Path target = inside(e.getLinkName(), what, e.getName() + " (a hard link to " + e.getLinkName() + ")");
        checkParents(target.getParent(), what, e.getName());
        if (!Files.isRegularFile(target, NOFOLLOW)) {
          throw new ImageFormatException(what + ": entry " + e.getName() + " is a hard link to " + e.getLinkName()
              + ", which is not a file before it; refusing it");
        }
        Files.createLink(path, target);
      } else if (e.isCharacterDevice() || e.isBlockDevice() || e.isFIFO()) {
        throw new ImageFormatException(what + ": entry " + e.getName() + " is a " + (e.isFIFO() ? "FIFO" : "device node")
            + "; refusing it");
      } else {
        Files.copy(tar, path);
        setModeAndTime(path, e);
      }
    }
  }

  /** Where an entry's name puts it, refusing a name that climbs out of the root. */
  private Path inside(String name, String what, String entry) {
    Path path = root.resolve(LayerReader.bounded(name, what, entry).replaceFirst("^/+", "")).normalize();
    if (!path.startsWith(root)) {
      throw new ImageFormatException(what + ": entry " + entry + " leaves the image's root; refusing it");
    }
    return path;
  }

  /** Fails if a directory on the way from the root to {@code dir} is a symbolic link. */
  private void checkParents(Path dir, String what, String entry) {
    for (Path p = dir; p.startsWith(root) && !p.equals(root); p = p.getParent()) {
      if (Files.isSymbolicLink(p)) {
        throw new ImageFormatException(what + ": entry " + entry + " lies under the symbolic link /" + root.relativize(p)
            + "; refusing it");
      }
    }
  }

  private void createParents(Path dir, Set<Path> written) throws IOException {
    if (dir != null && !Files.isDirectory(dir, NOFOLLOW)) {
      createParents(dir.getParent(), written);
      deleteRecursively(dir, false); // a file where a directory must be: replaced, as Docker does
      Files.createDirectory(dir);
      written.add(dir);
    }
  }

  /** An opaque directory: what lower layers put in it goes, what this layer wrote stays. */
  private void removeLower(Path dir, Set<Path> written) throws IOException {
    if (!Files.isDirectory(dir, NOFOLLOW)) {
      return;
    }
    try (DirectoryStream<Path> children = Files.newDirectoryStream(dir)) {
      for (Path child : children) {
        if (!written.contains(child)) {
          deleteRecursively(child, false);
        } else if (Files.isDirectory(child, NOFOLLOW)) {
          removeLower(child, written);
        }
      }
    }
  }

  private void setModeAndTime(Path path, TarArchiveEntry e) throws IOException {
    Files.setAttribute(path, "unix:mode", e.getMode() & 07777, NOFOLLOW);
    Files.setLastModifiedTime(path, FileTime.from(e.getLastModifiedTime().toInstant()));
  }

  /** Removes {@code path} and all beneath it, never following a link; {@code keepRoot} empties a directory instead. */
  private static void deleteRecursively(Path path, boolean keepRoot) throws IOException {
    if (!Files.exists(path, NOFOLLOW)) {
      return;
    }
    Files.walkFileTree(path, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.delete(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path dir, IOException failure) throws IOException {
        if (failure != null) {
          throw failure;
        }
        if (!keepRoot || !dir.equals(path)) {
          Files.delete(dir);
        }
        return FileVisitResult.CONTINUE;
      }
    });
  }
}
