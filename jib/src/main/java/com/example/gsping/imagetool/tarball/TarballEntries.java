package com.example.gsping.imagetool.tarball;

import com.example.gsping.imagetool.image.ImageFormatException;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * An image tarball (plain or gzipped tar) read in passes: one to list it, one to read the small
 * JSON documents, one to stream the layers straight into the store. Skipping an entry of a
 * plain tar file seeks, so extra passes cost little, and nothing is unpacked to disk first.
 * Each name may appear once, and a JSON document is bounded while it is read.
 */
final class TarballEntries {
  private final Path file;
  private final Map<String, Long> sizes = new LinkedHashMap<>();

  private TarballEntries(Path file) {
    this.file = file;
  }

  static TarballEntries open(Path file) throws IOException {
    TarballEntries entries = new TarballEntries(file);
    // A name twice is refused: which copy counts differs between tools, and a small last copy
    // must not let a huge first one through.
    entries.forEach(null, (name, size, in) -> {
      if (entries.sizes.put(name, size) != null) {
        throw new ImageFormatException(file + " is not a valid image tarball: it contains " + name + " more than once");
      }
    });
    if (entries.sizes.isEmpty()) {
      throw new ImageFormatException(file + " is not an image tarball: it is not a tar archive or it is empty");
    }
    return entries;
  }

  boolean contains(String name) {
    return sizes.containsKey(normalize(name));
  }

  Set<String> names() {
    return sizes.keySet();
  }

  /** Reads the named entries (each at most {@code max} bytes) in one pass. */
  Map<String, byte[]> readAll(Collection<String> names, int max) throws IOException {
    Map<String, byte[]> out = new HashMap<>();
    Set<String> wanted = new java.util.HashSet<>();
    for (String n : names) {
      String name = normalize(n);
      requirePresent(name);
      if (sizes.get(name) > max) {
        throw new ImageFormatException(file + ": " + name + " is " + sizes.get(name) + " bytes, too large for a JSON document");
      }
      wanted.add(name);
    }
    // the listing's sizes were checked above; each entry is bounded again as it is read
    forEach(wanted, (name, size, in) -> {
      byte[] content = in.readNBytes(max + 1);
      if (content.length > max) {
        throw new ImageFormatException(file + ": " + name + " is more than " + max + " bytes, too large for a JSON document");
      }
      out.put(name, content);
    });
    return out;
  }

  byte[] read(String name, int max) throws IOException {
    return readAll(Set.of(name), max).get(normalize(name));
  }

  void requirePresent(String name) {
    if (!sizes.containsKey(normalize(name))) {
      throw new ImageFormatException(file + " is corrupt: it lists " + name + " but does not contain it");
    }
  }

  @FunctionalInterface
  interface EntryHandler {
    void handle(String name, long size, InputStream content) throws IOException;
  }

  /** One pass over the regular files; {@code wanted == null} means every entry. */
  void forEach(Set<String> wanted, EntryHandler handler) throws IOException {
    try (InputStream raw = openFile()) {
      TarArchiveInputStream tar = new TarArchiveInputStream(raw);
      TarArchiveEntry entry;
      while ((entry = nextEntry(tar)) != null) {
        if (!entry.isFile()) {
          continue;
        }
        String name = normalize(entry.getName());
        if (wanted == null || wanted.contains(name)) {
          handler.handle(name, entry.getSize(), tar);
        }
      }
    } catch (EOFException e) {
      throw new ImageFormatException(file + " is corrupt: unexpected end of file (truncated download or copy?)");
    }
  }

  private TarArchiveEntry nextEntry(TarArchiveInputStream tar) throws IOException {
    try {
      return tar.getNextEntry();
    } catch (IOException | IllegalArgumentException e) {
      String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      if (why.toLowerCase(java.util.Locale.ROOT).contains("truncated")) {
        throw new ImageFormatException(file + " is corrupt: unexpected end of file (truncated download or copy?)");
      }
      throw new ImageFormatException(file + " is not an image tarball: not a valid tar archive (" + why + ")");
    }
  }

  private InputStream openFile() throws IOException {
    InputStream in;
    try {
      in = new BufferedInputStream(Files.newInputStream(file), 64 * 1024);
    } catch (NoSuchFileException e) {
      throw new ImageFormatException("cannot load " + file + ": no such file");
    }
    in.mark(2);
    int b1 = in.read();
    int b2 = in.read();
    in.reset();
    if (b1 == 0x1f && b2 == 0x8b) {
      return new GZIPInputStream(in, 64 * 1024);
    }
    return in;
  }

  static String normalize(String name) {
    String n = name;
    while (n.startsWith("./")) {
      n = n.substring(2);
    }
    while (n.startsWith("/")) {
      n = n.substring(1);
    }
    return n;
  }
}
