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
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Reads layers entry by entry as they stream (blob verified against its digest, gunzipped, untarred),
 * keeping per path only its metadata and content digest, never a file's bytes, on disk or in memory.
 * A layer two images share is read once. Hostile layers end in one line naming the image, the layer
 * and the entry: a path or hard link that leaves the root, a device node, a damaged or truncated
 * stream, more entries than {@value #MAX_ENTRIES} in all (a tar bomb), a path longer than
 * {@value #MAX_PATH} bytes or a PAX header longer than {@value #MAX_HEADER}.
 */
public final class LayerReader {
  static final int MAX_ENTRIES = 1_000_000;
  static final int MAX_PATH = 4096;
  static final int MAX_HEADER = 1024 * 1024;
  private static final String WHITEOUT = ".wh.";
  private static final String OPAQUE = ".wh..wh..opq";

  private final Map<String, LayerFiles> byDiffId = new HashMap<>();
  private long entries;

  public LayerFiles read(ResolvedImage image, ImageReader reader, ResolvedImage.ImageLayer layer) throws IOException {
    LayerFiles known = byDiffId.get(layer.diffId());
    if (known != null) {
      return known;
    }
    String what = describe(image, layer);
    LayerFiles files;
    try (VerifiedBlobStream blob = new VerifiedBlobStream(reader.openBlob(layer.blob()), layer.blob(), what)) {
      InputStream tar = LayerCompression.openUncompressed(blob, what);
      files = parse(tar, what);
      tar.transferTo(OutputStream.nullOutputStream()); // the tar's trailing blocks
      blob.readToEnd(); // verifies the blob's digest
    } catch (ImageToolException e) {
      throw e;
    } catch (IOException | IllegalArgumentException e) {
      String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      throw new ImageFormatException(what + " cannot be read: " + why + " (damaged or truncated layer)");
    }
    byDiffId.put(layer.diffId(), files);
    return files;
  }

  /** How messages name a layer: {@code app:1: layer 3 (0123456789ab)}, counted from the base. */
  public static String describe(ResolvedImage image, ResolvedImage.ImageLayer layer) {
    return image.label() + ": layer " + (layer.index() + 1) + " (" + Digests.shortId(layer.blob().digest()) + ")";
  }

  private LayerFiles parse(InputStream in, String what) throws IOException {
    List<String> whiteouts = new ArrayList<>();
    List<String> opaque = new ArrayList<>();
    List<FileEntry> out = new ArrayList<>();
    TarArchiveInputStream tar = new BoundedNamesTar(in, what);
    byte[] buffer = new byte[64 * 1024];
    TarArchiveEntry e;
    while ((e = tar.getNextEntry()) != null) {
      checkCount(++entries, what);
      String path = path(e.getName(), what, e.getName());
      String name = path.substring(path.lastIndexOf('/') + 1);
      if (name.startsWith(WHITEOUT)) {
        String dir = path.substring(0, path.lastIndexOf('/'));
        if (name.equals(OPAQUE)) {
          opaque.add(dir.isEmpty() ? "/" : dir);
        } else if (!name.startsWith(WHITEOUT + WHITEOUT)) { // other .wh..wh. names are aufs bookkeeping
          whiteouts.add(dir + "/" + name.substring(WHITEOUT.length()));
        }
        continue;
      }
      FileEntry.Type type;
      String link = null;
      String digest = null;
      long size = 0;
      if (e.isDirectory()) {
        type = FileEntry.Type.dir;
      } else if (e.isSymbolicLink()) {
        type = FileEntry.Type.symlink; // kept as text and never followed: where it points is harmless here
        link = bounded(e.getLinkName(), what, e.getName());
      } else if (e.isLink()) {
        type = FileEntry.Type.hardlink;
        link = path(e.getLinkName(), what, e.getName() + " (a hard link to " + e.getLinkName() + ")");
      } else if (e.isCharacterDevice() || e.isBlockDevice()) {
        throw new ImageFormatException(what + ": entry " + e.getName() + " is a device node; refusing it");
      } else if (e.isFIFO()) {
        type = FileEntry.Type.fifo;
      } else if (e.isFile()) {
        type = FileEntry.Type.file;
        MessageDigest sha256 = Digests.newSha256();
        for (int n; (n = tar.read(buffer)) > 0; ) {
          sha256.update(buffer, 0, n);
          size += n;
        }
        digest = Digests.of(sha256);
      } else {
        throw new ImageFormatException(what + ": entry " + e.getName() + " is of a type no image layer holds");
      }
      out.add(new FileEntry(path, type, e.getMode() & 07777, e.getLongUserId(), e.getLongGroupId(), size, link, digest,
          e.getLastModifiedTime().toInstant()));
    }
    return new LayerFiles(List.copyOf(whiteouts), List.copyOf(opaque), out);
  }

  /** The entry's path from the root ({@code /a/b}, the root itself {@code /}); one that climbs out of the root is refused. */
  static String path(String name, String what, String entry) {
    bounded(name, what, entry);
    Deque<String> parts = new ArrayDeque<>();
    for (String part : name.split("/")) {
      if (part.equals("..")) {
        if (parts.pollLast() == null) {
          throw new ImageFormatException(what + ": entry " + entry + " leaves the image's root; refusing it");
        }
      } else if (!part.isEmpty() && !part.equals(".")) {
        parts.addLast(part);
      }
    }
    return "/" + String.join("/", parts);
  }

  /** Refuses the layer whose entry makes {@code entries} (this one's and the layers' read before it) a tar bomb. */
  static void checkCount(long entries, String what) {
    if (entries > MAX_ENTRIES) {
      throw new ImageFormatException(what + " has more than " + MAX_ENTRIES + " entries (with the layers read before it);"
          + " refusing it as a tar bomb");
    }
  }

  static String bounded(String text, String what, String entry) {
    if (text.length() > MAX_PATH) {
      throw new ImageFormatException(what + ": entry " + entry.substring(0, Math.min(64, entry.length())) + "… has a name or link longer than "
          + MAX_PATH + " bytes; refusing it");
    }
    return text;
  }

  /**
   * commons-compress reads a PAX header or GNU long name entry whole into memory before the entry
   * it describes is seen: one larger than {@value #MAX_HEADER} bytes is refused as it starts.
   */
  static final class BoundedNamesTar extends TarArchiveInputStream {
    private final String what;

    BoundedNamesTar(InputStream in, String what) {
      super(in);
      this.what = what;
    }

    @Override
    public int read(byte[] buf, int offset, int length) throws IOException {
      TarArchiveEntry e = getCurrentEntry();
      if (e != null && e.getSize() > MAX_HEADER
          && (e.isPaxHeader() || e.isGlobalPaxHeader() || e.isGNULongNameEntry() || e.isGNULongLinkEntry())) {
        throw new ImageFormatException(what + ": a header entry (PAX or long name) of " + e.getSize()
            + " bytes; refusing those over " + MAX_HEADER);
      }
      return super.read(buf, offset, length);
    }
  }
}
