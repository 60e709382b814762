package com.example.gsping.imagetool.cli;

import com.example.gsping.imagetool.ImageToolException;
import com.example.gsping.imagetool.image.Json;
import com.example.gsping.imagetool.image.NamedImage;
import com.example.gsping.imagetool.image.PlatformNotFoundException;
import com.example.gsping.imagetool.image.TargetPlatform;
import com.example.gsping.imagetool.layer.LayerSizes;
import com.example.gsping.imagetool.reference.ImageRef;
import com.example.gsping.imagetool.report.ImageListing;
import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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
        "images (manifests index.json has no entry for) as <none>, as docker image ls -a does."})
final class ListCommand implements Callable<Integer> {
  @ParentCommand ImageToolCommand root;
  @Mixin FormatOption format;

  @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]", converter = PlatformOption.class,
      description = "Only this platform's image of each name, e.g. linux/arm64.")
  TargetPlatform platform;

  @Option(names = {"-a", "--all"}, description = "Also the untagged images (see verify), as <none> <none>.")
  boolean all;

  @Parameters(arity = "0..1", paramLabel = "REPOSITORY[:TAG]", description = "Only this repository (and tag).")
  String filter;

  @Override
  public Integer call() throws Exception {
    LayerSizes sizes = root.layerSizes();
    ImageListing listing = new ImageListing(sizes, root.now());
    ImageRef ref = filter == null ? null : ImageRef.parse(filter);
    boolean tagGiven = filter != null && filter.lastIndexOf(':') > filter.lastIndexOf('/') && ref.digest() == null;
    boolean local = ref == null || !ref.inRegistry();
    List<ImageListing.Row> rows = root.store().read(s ->
        InParallel.map(ImageLocations.names(root, s, ref, tagGiven, all), named -> local ? rowOrDamage(listing, named, tagGiven)
            : listing.row(named, platform, tagGiven)))
        .stream().filter(Objects::nonNull).toList();
    if (format.format == OutputFormat.json) {
      root.out().println(Json.pretty(ImageListing.sorted(rows)));
    } else {
      ImageListing.printTable(rows, root.out());
    }
    List<String> damaged = rows.stream().filter(r -> r.damage() != null).map(ImageListing.Row::damage).toList();
    damaged.forEach(d -> root.err().println("imagetool: " + d));
    if (!damaged.isEmpty()) {
      return 1;
    }
    sizes.keep();
    return 0;
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
