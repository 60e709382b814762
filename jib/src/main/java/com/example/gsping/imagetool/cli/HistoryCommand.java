package com.example.gsping.imagetool.cli;

import com.example.gsping.imagetool.image.ImageReader;
import com.example.gsping.imagetool.image.ImageResolver;
import com.example.gsping.imagetool.image.Json;
import com.example.gsping.imagetool.image.ResolvedImage;
import com.example.gsping.imagetool.image.TargetPlatform;
import com.example.gsping.imagetool.layer.LayerSizes;
import com.example.gsping.imagetool.reference.ImageRef;
import com.example.gsping.imagetool.report.LayerHistory;
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
        "dependencies, resources, classes, jvm arg files, extra files...)."})
final class HistoryCommand implements Callable<Integer> {
  @ParentCommand ImageToolCommand root;
  @Mixin FormatOption format;

  @Option(names = "--no-trunc", description = "Show full digests and commands.")
  boolean noTrunc;

  @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]", converter = PlatformOption.class,
      description = PlatformOption.HELP)
  TargetPlatform platform;

  @Parameters(index = "0", paramLabel = "IMAGE")
  String image;

  @Override
  public Integer call() throws Exception {
    ImageRef ref = ImageRef.parse(image);
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
}
