package com.example.gsping.imagetool.cli;

import com.example.gsping.imagetool.ImageToolException;
import com.example.gsping.imagetool.image.Json;
import com.example.gsping.imagetool.image.NamedImage;
import com.example.gsping.imagetool.image.PlatformNotFoundException;
import com.example.gsping.imagetool.image.TargetPlatform;
import com.example.gsping.imagetool.layer.LayerSizes;
import com.example.gsping.imagetool.reference.ImageRef;
import com.example.gsping.imagetool.report.GoTemplate;
import com.example.gsping.imagetool.report.ImageListing;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code ls [-a] [REPOSITORY[:TAG]]}, as {@code docker image ls}; an index with a row per platform. */
@Command(name = "ls", aliases = {"images", "list"}, mixinStandardHelpOptions = true,
    description = {"List images: REPOSITORY TAG IMAGE ID CREATED SIZE, as docker image ls prints them.",
        "With a registry repository (127.0.0.1:5000/app), lists that repository's tags.",
        "A multi-platform image (OCI image index, Docker manifest list) is a row with",
        "the index's IMAGE ID and the SIZE of its platforms' distinct layers, then, as",
        "docker image ls --tree shows it, one row per platform (\u251c\u2500 linux/amd64)",
        "with that platform's image ID and size. --platform lists each name's image",
        "for that platform alone; names without one are left out. -a adds the untagged",
        "images (manifests index.json has no entry for) as <none>, as docker image ls -a does.",
        "For scripts, as with docker: -q, --filter reference=..., --format with a template, e.g.",
        "  imagetool ls --no-trunc --format '{{.Platform}} {{.Digest}}' 127.0.0.1:5000/app:1"})
final class ListCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @ParentCommand ImageToolCommand root;

  @Option(names = "--format", paramLabel = "table|json|TEMPLATE", defaultValue = "table",
      description = "table (default), json, or a Go template of a row's .ID .Repository .Tag .Platform .Digest"
          + " .MediaType .CreatedAt .CreatedSince .Size, one line per row (a platform's row has its index's name).")
  String format;

  @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]", converter = PlatformOption.class,
      description = "Only this platform's image of each name, e.g. linux/arm64.")
  TargetPlatform platform;

  @Option(names = {"-a", "--all"}, description = "Also the untagged images (see verify), as <none> <none>.")
  boolean all;

  @Option(names = {"-q", "--quiet"}, description = "Only the IMAGE IDs, one per name.")
  boolean quiet;

  @Option(names = "--digests", description = "Show the manifest (or index) DIGEST of each row.")
  boolean digests;

  @Option(names = "--no-trunc", description = "Show IMAGE IDs whole (sha256:...).")
  boolean noTrunc;

  @Option(names = {"-f", "--filter"}, paramLabel = "reference=PATTERN",
      description = "Only names matching PATTERN (REPOSITORY or REPOSITORY:TAG, with * and ?), as docker's filter;"
          + " given more than once, names matching any.")
  List<String> filters = new ArrayList<>();

  @Parameters(arity = "0..1", paramLabel = "REPOSITORY[:TAG]", description = "Only this repository (and tag).")
  String filter;

  @Override
  public Integer call() throws Exception {
    GoTemplate template = List.of("table", "json").contains(format) ? null : new GoTemplate(format);
    List<Pattern> references = new ArrayList<>();
    for (String f : filters) {
      if (!f.startsWith("reference=")) {
        throw new ImageToolException("--filter " + f + ": only reference=PATTERN is supported");
      }
      references.add(glob(f.substring("reference=".length())));
    }
    LayerSizes sizes = root.layerSizes();
    boolean showsSize = !quiet && (template == null || format.contains(".Size"));
    ImageListing listing = new ImageListing(showsSize ? sizes : null, root.now());
    ImageRef ref = filter == null ? null : ImageRef.parse(filter);
    boolean tagGiven = filter != null && filter.lastIndexOf(':') > filter.lastIndexOf('/') && ref.digest() == null;
    boolean local = ref == null || !ref.inRegistry();
    List<ImageListing.Row> rows = ImageListing.sorted(root.store().read(s ->
        InParallel.map(matching(ImageLocations.names(root, s, ref, tagGiven, all), references),
            named -> local ? rowOrDamage(listing, named, tagGiven) : listing.row(named, platform, tagGiven)))
        .stream().filter(Objects::nonNull).toList());
    if (quiet) {
      rows.forEach(r -> root.out().println(id(r)));
    } else if (template != null) {
      for (ImageListing.Row r : rows) {
        root.out().println(template.render(fields(r, r)));
        for (ImageListing.Row p : r.platforms() == null ? List.<ImageListing.Row>of() : r.platforms()) {
          root.out().println(template.render(fields(r, p)));
        }
      }
    } else if (format.equals("json")) {
      root.out().println(Json.pretty(rows));
    } else {
      ImageListing.printTable(rows, digests, noTrunc, root.out());
    }
    List<String> damaged = rows.stream().filter(r -> r.damage() != null).map(ImageListing.Row::damage).toList();
    damaged.forEach(d -> root.err().println("imagetool: " + d));
    if (!damaged.isEmpty()) {
      return 1;
    }
    sizes.keep();
    return 0;
  }

  private static List<NamedImage> matching(List<NamedImage> names, List<Pattern> references) {
    return references.isEmpty() ? names : names.stream().filter(n -> references.stream().anyMatch(p ->
        p.matcher(n.repository()).matches() || p.matcher(n.repository() + ":" + n.tag()).matches())).toList();
  }

  /** Go's path.Match: {@code *} and {@code ?} stop at '/'; the rest is literal. */
  private static Pattern glob(String pattern) {
    StringBuilder regex = new StringBuilder();
    for (char c : pattern.toCharArray()) {
      regex.append(c == '*' ? "[^/]*" : c == '?' ? "[^/]" : Pattern.quote(String.valueOf(c)));
    }
    return Pattern.compile(regex.toString());
  }

  private String id(ImageListing.Row row) {
    return noTrunc && row.imageId() != null ? row.imageId() : row.id();
  }

  /** A row as docker's --format names its fields; a platform's row keeps its index's name. */
  private JsonNode fields(ImageListing.Row named, ImageListing.Row row) {
    ObjectNode out = JSON.createObjectNode();
    out.put("ID", id(row));
    out.put("Repository", named.repository());
    out.put("Tag", named.tag());
    out.put("Platform", row.platform() == null ? "" : row.platform());
    out.put("Digest", row.manifestDigest() == null ? "<none>" : row.manifestDigest());
    out.put("MediaType", row.mediaType() == null ? "" : row.mediaType());
    out.put("CreatedAt", row.created() == null ? "" : row.created());
    out.put("CreatedSince", row.createdSince());
    out.put("Size", row.sizeHuman());
    return out;
  }

  /**
   * One local image that cannot be read (a damaged or missing blob) is listed as damaged, with
   * the reason on stderr, and hides none of the others.
   */
  private ImageListing.Row rowOrDamage(ImageListing listing, NamedImage named, boolean tagGiven) throws IOException {
    try {
      return listing.row(named, platform, tagGiven);
    } catch (PlatformNotFoundException e) {
      throw e; // not damage: --platform names a platform the image lacks
    } catch (ImageToolException | IOException e) {
      String name = named.repository() + ":" + named.tag();
      String why = FailureReporter.describe(e);
      return ImageListing.Row.damaged(named.repository(), named.tag(), why.startsWith(name) ? why : name + ": " + why);
    }
  }
}
