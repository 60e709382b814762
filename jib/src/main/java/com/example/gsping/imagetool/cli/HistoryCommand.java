package com.example.gsping.imagetool.cli;

import com.example.gsping.imagetool.image.ImageReader;
import com.example.gsping.imagetool.image.ImageResolver;
import com.example.gsping.imagetool.image.Json;
import com.example.gsping.imagetool.image.ResolvedImage;
import com.example.gsping.imagetool.image.TargetPlatform;
import com.example.gsping.imagetool.layer.LayerSizes;
import com.example.gsping.imagetool.reference.ImageRef;
import com.example.gsping.imagetool.report.LayerHistory;
import com.example.gsping.imagetool.report.WastedSpace;
import com.example.gsping.imagetool.ImageToolException;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code history REF}: the image's layers, newest first. */
@Command(name = "history", mixinStandardHelpOptions = true,
    description = {"Show an image's layers, newest first, with their sizes and what each holds.",
        "For each layer: digest, uncompressed (Docker) and compressed size, and its content (base,",
        "dependencies, resources, classes, jvm arg files, extra files...).",
        "With --files: per layer, base first, the files it adds and the bytes later",
        "layers overwrite or delete (wasted: stored, never seen in a container), and",
        "an efficiency figure as dive computes it."})
final class HistoryCommand implements Callable<Integer> {
  @ParentCommand ImageToolCommand root;
  @Mixin FormatOption format;

  @Option(names = "--no-trunc", description = "Show full digests and commands.")
  boolean noTrunc;

  @Option(names = "--files", description = "List each layer's files and the space later layers waste.")
  boolean files;

  @Option(names = "--fail-over", paramLabel = "BYTES",
      description = "With --files: exit 1 when more than BYTES are wasted (for CI).")
  Long failOver;

  @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]", converter = PlatformOption.class,
      description = PlatformOption.HELP)
  TargetPlatform platform;

  @Parameters(index = "0", paramLabel = "IMAGE")
  String image;

  @Override
  public Integer call() throws Exception {
    ImageRef ref = ImageRef.parse(image);
    if (files || failOver != null) {
      return wastedSpace(ref);
    }
    LayerSizes sizes = root.layerSizes();
    LayerHistory.Report report = root.store().read(s -> {
      ImageReader reader = ImageLocations.reader(root, s, ref);
      ResolvedImage image = ImageResolver.resolve(reader, ref.reference(), platform);
      PlatformOption.noteChosen(root, image, platform);
      return LayerHistory.of(image, reader, sizes);
    });
    sizes.keep();
    if (format.format == OutputFormat.json) {
      root.out().println(Json.pretty(report));
    } else {
      LayerHistory.printTable(report, noTrunc, root.out());
    }
    return 0;
  }

  private int wastedSpace(ImageRef ref) throws IOException {
    WastedSpace.Report report = root.store().read(s -> {
      ImageReader reader = ImageLocations.reader(root, s, ref);
      ResolvedImage image = ImageResolver.resolve(reader, ref.reference(), platform);
      PlatformOption.noteChosen(root, image, platform);
      return WastedSpace.of(image, reader);
    });
    if (format.format == OutputFormat.json) {
      root.out().println(Json.pretty(report));
    } else {
      WastedSpace.print(report, root.out());
    }
    if (failOver != null && report.wastedBytes() > failOver) {
      throw new ImageToolException(report.image() + " wastes " + report.wastedBytes() + " bytes, more than --fail-over "
          + failOver);
    }
    return 0;
  }
}
