package com.example.gsping.imagetool.report;

import com.example.gsping.imagetool.image.Digests;
import com.example.gsping.imagetool.image.ImageReader;
import com.example.gsping.imagetool.image.ImageResolver;
import com.example.gsping.imagetool.image.NamedImage;
import com.example.gsping.imagetool.image.PlatformNotFoundException;
import com.example.gsping.imagetool.image.RawManifest;
import com.example.gsping.imagetool.image.ResolvedImage;
import com.example.gsping.imagetool.image.TargetPlatform;
import com.example.gsping.imagetool.layer.LayerSizes;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code ls}: one row per name, Docker's columns REPOSITORY TAG IMAGE ID CREATED SIZE. A
 * multi-platform image (an index) is a row of its own, as {@code docker image ls --tree} shows
 * it: IMAGE ID the index digest's, SIZE its platforms' distinct layers together, CREATED the
 * newest platform's; under it one row per platform, with that image's IMAGE ID and SIZE (what
 * {@code docker image ls} shows after {@code docker pull --platform}).
 */
public final class ImageListing {
  private final LayerSizes sizes;
  private final Instant now;

  /** {@code sizes} null: no SIZE (it reads every layer not in the size cache), for listings that do not show it. */
  public ImageListing(LayerSizes sizes, Instant now) {
    this.sizes = sizes;
    this.now = now;
  }

  /**
   * One listed name, or one platform of it ({@code repository} and {@code tag} then absent).
   * {@code id} is Docker's IMAGE ID, {@code mediaType} the manifest's or index's (OCI or Docker),
   * {@code size} Docker's SIZE in bytes; {@code damage} says why
   * an image that cannot be read is listed without them.
   */
  public record Row(String repository, String tag, String platform, String id, String imageId, String manifestDigest,
      String mediaType, String created, String createdSince, long size, String sizeHuman, List<Row> platforms, String damage) {

    /** The row of a name whose image cannot be read: IMAGE ID "damaged", the reason in {@code damage}. */
    public static Row damaged(String repository, String tag, String damage) {
      return new Row(repository, tag, null, "damaged", null, null, null, null, "", 0, "", null, damage);
    }
  }

  /**
   * The row of {@code named}: with {@code platform}, that platform's image alone (when the image
   * has none: an error if {@code required}, else null), else the image, or the index with a row
   * per platform.
   */
  public Row row(NamedImage named, TargetPlatform platform, boolean required) throws IOException {
    if (platform != null) {
      try {
        ResolvedImage image = ImageResolver.resolve(named.reader(), named.reference(), platform);
        return imageRow(named.repository(), named.tag(), image, named.reader());
      } catch (PlatformNotFoundException e) {
        if (required) {
          throw e;
        }
        return null;
      }
    }
    List<ResolvedImage> images = ImageResolver.resolveAll(named.reader(), named.reference());
    ResolvedImage first = images.get(0);
    if (!first.fromIndex()) {
      return imageRow(named.repository(), named.tag(), first, named.reader());
    }
    List<Row> platforms = new ArrayList<>();
    Map<String, Long> distinctLayers = new LinkedHashMap<>();
    for (ResolvedImage image : images) {
      platforms.add(imageRow(null, null, image, named.reader()));
      for (ResolvedImage.ImageLayer layer : image.layers()) {
        distinctLayers.put(layer.blob().digest(), sizes == null ? 0 : sizes.of(layer.blob(), named.reader()));
      }
    }
    Row newest = platforms.stream().max(Comparator.comparing(ImageListing::createdOrMin)).orElseThrow();
    long size = distinctLayers.values().stream().mapToLong(Long::longValue).sum();
    String digest = first.pointedTo().digest();
    return new Row(named.repository(), named.tag(), null, Digests.shortId(digest), digest, digest,
        first.pointedTo().mediaType(), newest.created,
        newest.createdSince, size, DockerUnits.humanSize(size), platforms, null);
  }

  private Row imageRow(String repository, String tag, ResolvedImage image, ImageReader reader) throws IOException {
    long size = 0;
    for (ResolvedImage.ImageLayer layer : image.layers()) {
      size += sizes == null ? 0 : sizes.of(layer.blob(), reader);
    }
    String createdSince = image.config().createdInstant()
        .map(t -> DockerUnits.humanDuration(Duration.between(t, now)) + " ago")
        .orElse("N/A");
    RawManifest manifest = repository == null ? image.manifest() : image.pointedTo();
    return new Row(repository, tag, image.platform().toString(), Digests.shortId(image.imageId()), image.imageId(),
        manifest.digest(), manifest.mediaType(), image.config().created(), createdSince, size, DockerUnits.humanSize(size), null, null);
  }

  /** Newest first (as the daemon sorts), then by name; platforms in their index's order. */
  public static List<Row> sorted(List<Row> rows) {
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

  /** Docker's table; {@code digests} adds the DIGEST column, {@code noTrunc} shows IMAGE IDs whole. */
  public static void printTable(List<Row> rows, boolean digests, boolean noTrunc, PrintWriter out) {
    TextTable table = digests ? new TextTable("REPOSITORY", "TAG", "DIGEST", "IMAGE ID", "CREATED", "SIZE")
        : new TextTable("REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE");
    for (Row r : sorted(rows)) {
      table.row(cells(r.repository, r.tag, r, digests, noTrunc));
      List<Row> platforms = r.platforms == null ? List.of() : r.platforms;
      for (int i = 0; i < platforms.size(); i++) {
        Row p = platforms.get(i);
        table.row(cells("", (i == platforms.size() - 1 ? "\u2514\u2500 " : "\u251c\u2500 ") + p.platform, p, digests, noTrunc));
      }
    }
    table.print(out);
  }

  private static String[] cells(String repository, String tag, Row r, boolean digests, boolean noTrunc) {
    String id = noTrunc && r.imageId != null ? r.imageId : r.id;
    String digest = r.manifestDigest == null ? "<none>" : r.manifestDigest;
    return digests ? new String[] {repository, tag, digest, id, r.createdSince, r.sizeHuman}
        : new String[] {repository, tag, id, r.createdSince, r.sizeHuman};
  }
}
