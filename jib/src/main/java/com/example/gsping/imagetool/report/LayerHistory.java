package com.example.gsping.imagetool.report;

import com.example.gsping.imagetool.image.Digests;
import com.example.gsping.imagetool.image.ImageReader;
import com.example.gsping.imagetool.image.ResolvedImage;
import com.example.gsping.imagetool.layer.LayerSizes;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** {@code history}: the layers of one image, newest first, with sizes and what each holds. */
public final class LayerHistory {

  /** One layer; sizes in bytes, {@code size} uncompressed as Docker counts it. */
  public record Layer(String layer, String digest, String diffId, String mediaType, String content,
      String createdBy, String created, long size, String sizeHuman, long compressedSize, String compressedSizeHuman) {}

  /** The whole report, as {@code --format json} prints it. */
  public record Report(String image, String platform, String imageId, List<Layer> layers) {}

  private LayerHistory() {}

  public static Report of(ResolvedImage image, ImageReader reader, LayerSizes sizes) throws IOException {
    List<ResolvedImage.ImageLayer> layers = image.layers();
    List<LayerContentLabeler.LayerOrigin> origins = LayerContentLabeler.label(image.config(), layers.size());
    List<Layer> out = new ArrayList<>();
    for (int i = layers.size() - 1; i >= 0; i--) {
      ResolvedImage.ImageLayer l = layers.get(i);
      LayerContentLabeler.LayerOrigin o = origins.get(i);
      long size = sizes.of(l.blob(), reader);
      out.add(new Layer(Digests.shortId(l.blob().digest()), l.blob().digest(), l.diffId(), l.blob().mediaType(),
          o.content(), o.createdBy(), o.created(), size, DockerUnits.humanSize(size),
          l.blob().size(), DockerUnits.humanSize(l.blob().size())));
    }
    return new Report(image.name(), image.platform().toString(), image.imageId(), out);
  }

  public static void printTable(Report report, boolean noTrunc, PrintWriter out) {
    TextTable table = new TextTable("LAYER", "CONTENT", "SIZE", "COMPRESSED", "CREATED BY");
    for (Layer l : report.layers()) {
      table.row(noTrunc ? l.digest() : l.layer(), l.content(), l.sizeHuman(), l.compressedSizeHuman(),
          createdBy(l.createdBy(), noTrunc));
    }
    table.print(out);
  }

  static String createdBy(String createdBy, boolean noTrunc) {
    if (createdBy == null) {
      return "<missing>";
    }
    String oneLine = createdBy.replaceAll("\\s+", " ").trim();
    return noTrunc || oneLine.length() <= 45 ? oneLine : oneLine.substring(0, 44) + "…";
  }
}
