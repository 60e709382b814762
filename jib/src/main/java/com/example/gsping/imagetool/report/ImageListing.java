package com.example.gsping.imagetool.report;

import com.example.gsping.imagetool.image.Digests;
import com.example.gsping.imagetool.image.ImageReader;
import com.example.gsping.imagetool.image.ResolvedImage;
import com.example.gsping.imagetool.layer.LayerSizes;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** {@code ls}: one row per name, Docker's columns REPOSITORY TAG IMAGE ID CREATED SIZE. */
public final class ImageListing {
  private final List<Row> rows = new ArrayList<>();
  private final LayerSizes sizes;
  private final Instant now;

  public ImageListing(LayerSizes sizes, Instant now) {
    this.sizes = sizes;
    this.now = now;
  }

  /** One listed name. {@code id} is Docker's IMAGE ID, {@code size} Docker's SIZE in bytes. */
  public record Row(String repository, String tag, String id, String imageId, String manifestDigest,
      String created, String createdSince, long size, String sizeHuman) {}

  public void add(String repository, String tag, ResolvedImage image, ImageReader reader) throws IOException {
    long size = 0;
    for (ResolvedImage.ImageLayer layer : image.layers()) {
      size += sizes.of(layer.blob(), reader);
    }
    String createdSince = image.config().createdInstant()
        .map(t -> DockerUnits.humanDuration(Duration.between(t, now)) + " ago")
        .orElse("N/A");
    rows.add(new Row(repository, tag, Digests.shortId(image.imageId()), image.imageId(), image.pointedTo().digest(),
        image.config().created(), createdSince, size, DockerUnits.humanSize(size)));
  }

  /** Newest first (as the daemon sorts), then by name. */
  public List<Row> rows() {
    Comparator<Row> newestFirst = Comparator.comparing(ImageListing::createdOrMin).reversed();
    return rows.stream().sorted(newestFirst.thenComparing(Row::repository).thenComparing(Row::tag)).toList();
  }

  private static Instant createdOrMin(Row row) {
    try {
      return row.created == null ? Instant.MIN : Instant.parse(row.created);
    } catch (RuntimeException e) {
      return Instant.MIN;
    }
  }

  public void printTable(PrintWriter out) {
    TextTable table = new TextTable("REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE");
    for (Row r : rows()) {
      table.row(r.repository, r.tag, r.id, r.createdSince, r.sizeHuman);
    }
    table.print(out);
  }
}
