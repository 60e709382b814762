package com.example.gsping.imagetool.cli;

import com.example.gsping.imagetool.image.ImageReader;
import com.example.gsping.imagetool.image.ImageResolver;
import com.example.gsping.imagetool.image.Json;
import com.example.gsping.imagetool.image.ResolvedImage;
import com.example.gsping.imagetool.image.TargetPlatform;
import com.example.gsping.imagetool.layer.LayerSizes;
import com.example.gsping.imagetool.reference.ImageRef;
import com.example.gsping.imagetool.report.GoTemplate;
import com.example.gsping.imagetool.report.ImageComparison;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

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
        "  imagetool compare app:1 --platform linux/amd64 app:2 --platform linux/arm64",
        "A template takes the figures of --format json, e.g. the bytes a push of",
        "IMAGE_B adds to IMAGE_A's layers:  --format '{{.b.ownCompressedSize}}'"})
final class CompareCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @ParentCommand ImageToolCommand root;

  @Option(names = "--format", paramLabel = "table|json|TEMPLATE", defaultValue = "table",
      description = "table (default), json, or a Go template of the json (.a .b .shared .onlyInA .onlyInB).")
  String format;

  @Mixin ImagePair images;

  @Override
  public Integer call() throws Exception {
    images.check();
    GoTemplate template = List.of("table", "json").contains(format) ? null : new GoTemplate(format);
    ImageRef a = ImageRef.parse(images.a());
    ImageRef b = ImageRef.parse(images.b());
    TargetPlatform platformA = images.platformA();
    TargetPlatform platformB = images.platformB();
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
    if (template != null) {
      root.out().println(template.render(JSON.valueToTree(report)));
    } else if (format.equals("json")) {
      root.out().println(Json.pretty(report));
    } else {
      ImageComparison.printTable(report, root.out());
    }
    return 0;
  }
}
