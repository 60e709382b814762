package com.example.gsping.imagetool.report;

import com.example.gsping.imagetool.files.FileEntry;
import com.example.gsping.imagetool.files.ImageFiles;
import com.example.gsping.imagetool.files.LayerReader;
import com.example.gsping.imagetool.image.ImageReader;
import com.example.gsping.imagetool.image.ResolvedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * {@code diff A B}: the paths two images' filesystems disagree on, in {@code docker container diff}'s
 * terms with A as the image and B as the container: {@code A} only in B, {@code D} only in A,
 * {@code C} in both but changed, saying what changed.
 */
public final class FileDiff {

  /** One path that differs; {@code a} or {@code b} is null when the path is only in the other image. */
  public record Change(String kind, String path, List<String> changed, Entry a, Entry b) {}

  /** An entry as {@code --format json} shows it; {@code mode} in octal. */
  public record Entry(String type, String mode, long uid, long gid, long size, String link, String digest, String mtime) {
    static Entry of(FileEntry e) {
      return e == null ? null : new Entry(e.type().name(), String.format(Locale.ROOT, "%04o", e.mode()), e.uid(), e.gid(),
          e.size(), e.link(), e.digest(), e.mtime().toString());
    }
  }

  /** The whole report, as {@code --format json} prints it. */
  public record Report(String a, String b, boolean ignoreTimestamps, List<Change> changes) {}

  private FileDiff() {}

  public static Report of(ResolvedImage a, ImageReader readerA, ResolvedImage b, ImageReader readerB, boolean ignoreTimestamps)
      throws IOException {
    List<Change> changes = new ArrayList<>();
    // the same layers make the same filesystem: nothing to read
    if (!a.config().diffIds().equals(b.config().diffIds())) {
      LayerReader layers = new LayerReader();
      Map<String, ImageFiles.Node> pathsA = ImageFiles.of(a, readerA, layers, (n, by, deleted) -> {}).paths();
      Map<String, ImageFiles.Node> pathsB = ImageFiles.of(b, readerB, layers, (n, by, deleted) -> {}).paths();
      Iterator<Map.Entry<String, ImageFiles.Node>> ia = pathsA.entrySet().iterator();
      Iterator<Map.Entry<String, ImageFiles.Node>> ib = pathsB.entrySet().iterator();
      Map.Entry<String, ImageFiles.Node> ea = next(ia);
      Map.Entry<String, ImageFiles.Node> eb = next(ib);
      while (ea != null || eb != null) {
        int order = ea == null ? 1 : eb == null ? -1 : ea.getKey().compareTo(eb.getKey());
        if (order < 0) {
          changes.add(new Change("D", ea.getKey(), List.of(), Entry.of(ea.getValue().entry()), null));
          ea = next(ia);
        } else if (order > 0) {
          changes.add(new Change("A", eb.getKey(), List.of(), null, Entry.of(eb.getValue().entry())));
          eb = next(ib);
        } else {
          FileEntry x = ea.getValue().entry();
          FileEntry y = eb.getValue().entry();
          List<String> changed = changed(x, y, ignoreTimestamps);
          if (!changed.isEmpty()) {
            changes.add(new Change("C", ea.getKey(), changed, Entry.of(x), Entry.of(y)));
          }
          ea = next(ia);
          eb = next(ib);
        }
      }
    }
    return new Report(a.label(), b.label(), ignoreTimestamps, changes);
  }

  private static <T> T next(Iterator<T> i) {
    return i.hasNext() ? i.next() : null;
  }

  /** What differs, each as the text line shows it: {@code content}, {@code size 10 -> 12}, {@code mode 0644 -> 0755}... */
  static List<String> changed(FileEntry x, FileEntry y, boolean ignoreTimestamps) {
    List<String> out = new ArrayList<>();
    if (x.type() != y.type()) {
      out.add("type " + x.type() + " -> " + y.type());
    }
    if (!Objects.equals(x.digest(), y.digest()) && x.digest() != null && y.digest() != null) {
      out.add("content");
    }
    if (x.size() != y.size()) {
      out.add("size " + x.size() + " -> " + y.size());
    }
    if (x.mode() != y.mode()) {
      out.add(String.format(Locale.ROOT, "mode %04o -> %04o", x.mode(), y.mode()));
    }
    if (x.uid() != y.uid() || x.gid() != y.gid()) {
      out.add("owner " + x.uid() + ":" + x.gid() + " -> " + y.uid() + ":" + y.gid());
    }
    if (!Objects.equals(x.link(), y.link())) {
      out.add("link " + (x.link() == null ? "(none)" : x.link()) + " -> " + (y.link() == null ? "(none)" : y.link()));
    }
    if (!ignoreTimestamps && !x.mtime().equals(y.mtime())) {
      out.add("mtime " + x.mtime() + " -> " + y.mtime());
    }
    return out;
  }

  /** One line per path: {@code A /path}, {@code D /path}, {@code C /path: what changed}. */
  public static void print(Report report, PrintWriter out) {
    for (Change c : report.changes()) {
      out.println(c.kind() + " " + c.path() + (c.changed().isEmpty() ? "" : ": " + String.join(", ", c.changed())));
    }
  }
}
