package com.example.gsping.imagetool.report;

import com.example.gsping.imagetool.image.Digests;
import com.example.gsping.imagetool.image.ImageReader;
import com.example.gsping.imagetool.image.ResolvedImage;
import com.example.gsping.imagetool.layer.LayerSizes;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code compare A B}: which layers two images share and which are each one's own. Layers are
 * matched by diff_id (the digest of the uncompressed layer), the identity Docker's layer store
 * uses, so a layer counts as shared even when two tarballs compressed it differently; for
 * Jib's reproducible layers the compressed digests match too.
 */
public final class ImageComparison {

  /** One layer in a group; sizes in bytes ({@code size} uncompressed, as Docker counts). */
  public record Layer(String layer, String digest, String diffId, String content, long size, String sizeHuman,
      long compressedSize, String compressedSizeHuman) {}

  /** One image's totals: how much of it is shared with the other image. */
  public record Side(String image, String platform, String imageId, int layers, long size, String sizeHuman, long compressedSize,
      int sharedLayers, long sharedSize, long ownSize, long ownCompressedSize, double sharedPercent) {}

  /** The whole report, as {@code --format json} prints it. */
  public record Report(Side a, Side b, List<Layer> shared, List<Layer> onlyInA, List<Layer> onlyInB) {}

  private ImageComparison() {}

  public static Report of(ResolvedImage a, ImageReader readerA, ResolvedImage b, ImageReader readerB, LayerSizes sizes)
      throws IOException {
    Map<String, Layer> layersA = layers(a, readerA, sizes);
    Map<String, Layer> layersB = layers(b, readerB, sizes);
    List<Layer> shared = new ArrayList<>();
    List<Layer> onlyA = new ArrayList<>();
    List<Layer> onlyB = new ArrayList<>();
    layersA.forEach((diffId, l) -> (layersB.containsKey(diffId) ? shared : onlyA).add(l));
    layersB.forEach((diffId, l) -> {
      if (!layersA.containsKey(diffId)) {
        onlyB.add(l);
      }
    });
    return new Report(side(a, layersA, shared), side(b, layersB, shared), shared, onlyA, onlyB);
  }

  // Newest first, like history; a diff_id repeated inside one image counts once.
  private static Map<String, Layer> layers(ResolvedImage image, ImageReader reader, LayerSizes sizes) throws IOException {
    List<ResolvedImage.ImageLayer> layers = image.layers();
    List<LayerContentLabeler.LayerOrigin> origins = LayerContentLabeler.label(image.config(), layers.size());
    Map<String, Layer> out = new LinkedHashMap<>();
    for (int i = layers.size() - 1; i >= 0; i--) {
      ResolvedImage.ImageLayer l = layers.get(i);
      long size = sizes.of(l.blob(), reader);
      out.putIfAbsent(l.diffId(), new Layer(Digests.shortId(l.blob().digest()), l.blob().digest(), l.diffId(),
          origins.get(i).content(), size, DockerUnits.humanSize(size), l.blob().size(), DockerUnits.humanSize(l.blob().size())));
    }
    return out;
  }

  private static Side side(ResolvedImage image, Map<String, Layer> layers, List<Layer> shared) {
    long size = layers.values().stream().mapToLong(Layer::size).sum();
    long compressed = layers.values().stream().mapToLong(Layer::compressedSize).sum();
    long sharedSize = shared.stream().mapToLong(l -> layers.get(l.diffId()).size()).sum();
    long sharedCompressed = shared.stream().mapToLong(l -> layers.get(l.diffId()).compressedSize()).sum();
    double percent = size == 0 ? 0 : Math.round(sharedSize * 1000.0 / size) / 10.0;
    return new Side(image.label(), image.platform().toString(), image.imageId(), layers.size(), size, DockerUnits.humanSize(size), compressed,
        shared.size(), sharedSize, size - sharedSize, compressed - sharedCompressed, percent);
  }

  public static void printTable(Report r, PrintWriter out) {
    group(out, "SHARED by both images", r.shared());
    group(out, "ONLY IN " + r.a().image(), r.onlyInA());
    group(out, "ONLY IN " + r.b().image(), r.onlyInB());
    TextTable totals = new TextTable("IMAGE", "IMAGE ID", "LAYERS", "SIZE", "SHARED", "OWN", "SHARED %");
    for (Side s : List.of(r.a(), r.b())) {
      totals.row(s.image(), Digests.shortId(s.imageId()), s.sharedLayers() + "/" + s.layers(), s.sizeHuman(),
          DockerUnits.humanSize(s.sharedSize()), DockerUnits.humanSize(s.ownSize()),
          String.format(Locale.ROOT, "%.1f%%", s.sharedPercent()));
    }
    totals.print(out);
  }

  private static void group(PrintWriter out, String title, List<Layer> layers) {
    long size = layers.stream().mapToLong(Layer::size).sum();
    long compressed = layers.stream().mapToLong(Layer::compressedSize).sum();
    out.println(title + ": " + layers.size() + (layers.size() == 1 ? " layer, " : " layers, ") + DockerUnits.humanSize(size)
        + " (" + size + " bytes; compressed " + DockerUnits.humanSize(compressed) + ")");
    if (!layers.isEmpty()) {
      TextTable t = new TextTable("  LAYER", "CONTENT", "SIZE", "COMPRESSED");
      for (Layer l : layers) {
        t.row("  " + l.layer(), l.content(), l.sizeHuman(), l.compressedSizeHuman());
      }
      t.print(out);
    }
    out.println();
  }
}
