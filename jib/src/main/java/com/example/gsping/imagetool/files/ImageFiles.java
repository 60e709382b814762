package com.example.gsping.imagetool.files;

import com.example.gsping.imagetool.image.ImageFormatException;
import com.example.gsping.imagetool.image.ImageReader;
import com.example.gsping.imagetool.image.ResolvedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * An image's filesystem as its layers, applied in order, leave it (as Docker's and containerd's
 * layer stores do): a layer's whiteouts and opaque directories first remove what the layers below
 * hold, then its entries are put in tar order, an entry that is not a directory replacing a
 * directory with all beneath it. A hard link takes its target's content as it is at that point.
 */
public final class ImageFiles {
  /** An entry and the layer (0-based) that put it there. */
  public record Node(FileEntry entry, int layer) {}

  /** Told of each entry of a lower layer that a later one replaces or deletes. */
  @FunctionalInterface
  public interface Hidden {
    void hidden(Node node, int byLayer, boolean deleted);
  }

  private final NavigableMap<String, Node> tree = new TreeMap<>();

  /** The image's filesystem, its layers read through {@code layers}. */
  public static ImageFiles of(ResolvedImage image, ImageReader reader, LayerReader layers, Hidden hidden) throws IOException {
    ImageFiles files = new ImageFiles();
    for (ResolvedImage.ImageLayer layer : image.layers()) {
      files.apply(layer.index(), layers.read(image, reader, layer), LayerReader.describe(image, layer), hidden);
    }
    return files;
  }

  /** The paths and their entries, sorted by path. */
  public NavigableMap<String, Node> paths() {
    return tree;
  }

  public void apply(int layer, LayerFiles files, String what, Hidden hidden) {
    for (String dir : files.opaqueDirs()) {
      removeBelow(dir, layer, hidden);
    }
    for (String path : files.whiteouts()) {
      Node gone = tree.remove(path);
      if (gone != null) {
        hidden.hidden(gone, layer, true);
      }
      removeBelow(path, layer, hidden);
    }
    for (FileEntry e : files.entries()) {
      FileEntry entry = e.type() == FileEntry.Type.hardlink ? linked(e, what) : e;
      Node old = tree.put(entry.path(), new Node(entry, layer));
      if (old != null) {
        if (old.layer() != layer) {
          hidden.hidden(old, layer, false);
        }
        if (old.entry().type() == FileEntry.Type.dir && entry.type() != FileEntry.Type.dir) {
          removeBelow(entry.path(), layer, hidden);
        }
      }
    }
  }

  private FileEntry linked(FileEntry link, String what) {
    Node target = tree.get(link.link());
    if (target == null || target.entry().type() == FileEntry.Type.dir) {
      throw new ImageFormatException(what + ": entry " + link.path() + " is a hard link to " + link.link()
          + ", which is " + (target == null ? "not in the image before it" : "a directory") + "; refusing it");
    }
    return new FileEntry(link.path(), FileEntry.Type.hardlink, link.mode(), link.uid(), link.gid(), target.entry().size(),
        link.link(), target.entry().digest(), link.mtime());
  }

  private void removeBelow(String dir, int layer, Hidden hidden) {
    String prefix = dir.equals("/") ? "/" : dir + "/";
    NavigableMap<String, Node> below = tree.subMap(prefix, !dir.equals("/"), prefix.substring(0, prefix.length() - 1) + "0", false);
    List<Node> gone = new ArrayList<>(below.values());
    below.clear();
    for (Node n : gone) {
      if (n.layer() != layer) {
        hidden.hidden(n, layer, true);
      }
    }
  }
}
