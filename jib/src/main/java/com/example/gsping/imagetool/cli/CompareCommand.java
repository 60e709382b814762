package com.example.gsping.imagetool.cli;

import com.example.gsping.imagetool.image.ImageReader;
import com.example.gsping.imagetool.image.ImageResolver;
import com.example.gsping.imagetool.image.Json;
import com.example.gsping.imagetool.reference.ImageRef;
import com.example.gsping.imagetool.report.ImageComparison;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code compare A B}: shared layers and each image's own. */
@Command(name = "compare", mixinStandardHelpOptions = true,
    description = {"Show which layers two images share and which are each one's own.",
        "Layers are matched by content (diff_id); sizes are given per group, with the share of each",
        "image that is shared."})
final class CompareCommand implements Callable<Integer> {
  @ParentCommand ImageToolCommand root;
  @Mixin FormatOption format;

  @Parameters(index = "0", paramLabel = "IMAGE_A")
  String first;

  @Parameters(index = "1", paramLabel = "IMAGE_B")
  String second;

  @Override
  public Integer call() throws Exception {
    ImageRef a = ImageRef.parse(first);
    ImageRef b = ImageRef.parse(second);
    ImageComparison.Report report = root.store().read(s -> {
      ImageReader readerA = ImageLocations.reader(root, s, a);
      ImageReader readerB = ImageLocations.reader(root, s, b);
      return ImageComparison.of(ImageResolver.resolve(readerA, a.reference()), readerA,
          ImageResolver.resolve(readerB, b.reference()), readerB, root.layerSizes());
    });
    if (format.format == OutputFormat.json) {
      root.out().println(Json.pretty(report));
    } else {
      ImageComparison.printTable(report, root.out());
    }
    return 0;
  }
}
