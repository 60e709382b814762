package com.example.gsping.imagetool.report;

import com.example.gsping.imagetool.files.FileEntry;
import com.example.gsping.imagetool.files.ImageFiles;
import com.example.gsping.imagetool.files.LayerFiles;
import com.example.gsping.imagetool.files.LayerReader;
import com.example.gsping.imagetool.image.Digests;
import com.example.gsping.imagetool.image.ImageReader;
import com.example.gsping.imagetool.image.ResolvedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code history --files}: the files each layer adds, base first, and the bytes of them that later
 * layers overwrite or delete (whiteout, opaque directory, or a file put where a directory was):
 * stored in the image, never seen in a container. The efficiency is dive's: over every path, the
 * smallest of its sizes across the layers that add or delete it (a deletion counts 0) divided by
 * the sum of all those sizes; 100% when no layer hides another's bytes. Sizes are regular files'
 * (links and directories store none), as dive counts them.
 */
public final class WastedSpace {

  /** One entry a layer adds; {@code hiddenBy} says which later layer overwrites or deletes it, if one does. */
  public record File(String path, String type, long size, String link, String hiddenBy) {}

  /** One layer, numbered from the base (1) as diff's messages number them. */
  public record Layer(int layer, String digest, String content, long addedBytes, long wastedBytes, List<File> files) {}

  /** The whole report, as {@code --format json} prints it. */
  public record Report(String image, String platform, List<Layer> layers, long wastedBytes, double efficiency) {}

  private WastedSpace() {}

  public static Report of(ResolvedImage image, ImageReader reader) throws IOException {
    List<ResolvedImage.ImageLayer> layers = image.layers();
    List<LayerContentLabeler.LayerOrigin> origins = LayerContentLabeler.label(image.config(), layers.size());
    LayerReader layerReader = new LayerReader();
    ImageFiles files = new ImageFiles();
    List<Map<String, String>> hidden = new ArrayList<>(); // per layer: path -> which later layer hides it
    long[] wasted = new long[layers.size()];
    Map<String, Long> smallest = new HashMap<>(); // dive's minimum size per path
    long allSizes = 0;
    List<LayerFiles> read = new ArrayList<>();
    for (ResolvedImage.ImageLayer layer : layers) {
      LayerFiles lf = layerReader.read(image, reader, layer);
      read.add(lf);
      hidden.add(new HashMap<>());
      files.apply(layer.index(), lf, LayerReader.describe(image, layer), (node, by, deleted) -> {
        hidden.get(node.layer()).put(node.entry().path(), (deleted ? "deleted" : "overwritten") + " by layer " + (by + 1));
        wasted[node.layer()] += node.entry().storedBytes();
        if (deleted) {
          smallest.put(node.entry().path(), 0L);
        }
      });
      for (FileEntry e : lf.entries()) {
        allSizes += e.storedBytes();
        smallest.merge(e.path(), e.storedBytes(), Math::min);
      }
    }
    List<Layer> out = new ArrayList<>();
    long wastedBytes = 0;
    for (ResolvedImage.ImageLayer layer : layers) {
      int i = layer.index();
      List<File> added = new ArrayList<>();
      long addedBytes = 0;
      for (FileEntry e : read.get(i).entries()) {
        if (e.type() != FileEntry.Type.dir) {
          added.add(new File(e.path(), e.type().name(), e.storedBytes(), e.link(), hidden.get(i).get(e.path())));
          addedBytes += e.storedBytes();
        }
      }
      wastedBytes += wasted[i];
      out.add(new Layer(i + 1, layer.blob().digest(), origins.get(i).content(), addedBytes, wasted[i], added));
    }
    long smallestSum = smallest.values().stream().mapToLong(Long::longValue).sum();
    double efficiency = allSizes == 0 ? 1.0 : (double) smallestSum / allSizes;
    return new Report(image.label(), image.platform().toString(), out, wastedBytes, efficiency);
  }

  public static void print(Report report, PrintWriter out) {
    for (Layer l : report.layers()) {
      out.println("LAYER " + l.layer() + " " + Digests.shortId(l.digest()) + " (" + l.content() + "): " + l.files().size()
          + (l.files().size() == 1 ? " file, " : " files, ") + DockerUnits.humanSize(l.addedBytes()) + "; later layers hide "
          + DockerUnits.humanSize(l.wastedBytes()));
      for (File f : l.files()) {
        out.println(String.format(Locale.ROOT, "  %8s  %s%s%s", DockerUnits.humanSize(f.size()), f.path(),
            f.link() == null ? "" : (f.type().equals("hardlink") ? " => " : " -> ") + f.link(),
            f.hiddenBy() == null ? "" : "  (" + f.hiddenBy() + ")"));
      }
    }
    out.println(summary(report));
  }

  /** {@code WASTED ...: 1.2kB (1234 bytes) that later layers overwrite or delete; efficiency 99.9%}. */
  public static String summary(Report report) {
    return String.format(Locale.ROOT, "WASTED in %s: %s (%d bytes) that later layers overwrite or delete; efficiency %.4f%%",
        report.image(), DockerUnits.humanSize(report.wastedBytes()), report.wastedBytes(), report.efficiency() * 100);
  }
}
