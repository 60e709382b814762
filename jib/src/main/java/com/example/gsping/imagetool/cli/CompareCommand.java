package com.example.gsping.imagetool.cli;

import com.example.gsping.imagetool.image.ImageReader;
import com.example.gsping.imagetool.image.ImageResolver;
import com.example.gsping.imagetool.image.Json;
import com.example.gsping.imagetool.image.ResolvedImage;
import com.example.gsping.imagetool.image.TargetPlatform;
import com.example.gsping.imagetool.layer.LayerSizes;
import com.example.gsping.imagetool.reference.ImageRef;
import com.example.gsping.imagetool.report.ImageComparison;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code compare A B}: shared layers and each image's own; two platforms of one index too. */
@Command(name = "compare", mixinStandardHelpOptions = true,
    description = {"Show which layers two images share and which are each one's own.",
        "Layers are matched by content (diff_id); sizes are given per group, with",
        "the share of each image that is shared.",
        "Multi-platform images: one --platform is both images' platform; given twice,",
        "the first is IMAGE_A's and the second IMAGE_B's; with one image and two",
        "platforms, that image's two platforms are compared. Without --platform,",
        "this machine's platform is taken (said on stderr). For example:",
        "  imagetool compare app:1 --platform linux/amd64 --platform linux/arm64",
        "  imagetool compare app:1 --platform linux/amd64 app:2 --platform linux/arm64"})
final class CompareCommand implements Callable<Integer> {
  @ParentCommand ImageToolCommand root;
  @Spec CommandLine.Model.CommandSpec spec;
  @Mixin FormatOption format;

  @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]", converter = PlatformOption.class,
      description = "Platform of both images (given once), or of IMAGE_A then IMAGE_B (given twice).")
  List<TargetPlatform> platforms = new ArrayList<>();

  @Parameters(index = "0", paramLabel = "IMAGE_A")
  String first;

  @Parameters(index = "1", arity = "0..1", paramLabel = "IMAGE_B", description = "Default: IMAGE_A (with two --platform).")
  String second;

  @Override
  public Integer call() throws Exception {
    if (platforms.size() > 2 || (second == null && platforms.size() != 2)) {
      throw new CommandLine.ParameterException(spec.commandLine(), platforms.size() > 2
          ? "compare takes --platform at most twice (IMAGE_A's, then IMAGE_B's)"
          : "compare needs two images, or one image and two --platform values");
    }
    ImageRef a = ImageRef.parse(first);
    ImageRef b = ImageRef.parse(second != null ? second : first);
    TargetPlatform platformA = platforms.isEmpty() ? null : platforms.get(0);
    TargetPlatform platformB = platforms.isEmpty() ? null : platforms.get(platforms.size() - 1);
    LayerSizes sizes = root.layerSizes();
    ImageComparison.Report report = root.store().read(s -> {
      ImageReader readerA = ImageLocations.reader(root, s, a);
      ImageReader readerB = ImageLocations.reader(root, s, b);
      ResolvedImage imageA = ImageResolver.resolve(readerA, a.reference(), platformA);
      ResolvedImage imageB = ImageResolver.resolve(readerB, b.reference(), platformB);
      PlatformOption.noteChosen(root, imageA, platformA);
      PlatformOption.noteChosen(root, imageB, platformB);
      return ImageComparison.of(imageA, readerA, imageB, readerB, sizes);
    });
    sizes.keep();
    if (format.format == OutputFormat.json) {
      root.out().println(Json.pretty(report));
    } else {
      ImageComparison.printTable(report, root.out());
    }
    return 0;
  }
}
