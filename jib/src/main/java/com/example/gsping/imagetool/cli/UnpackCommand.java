package com.example.gsping.imagetool.cli;

import com.example.gsping.imagetool.files.ImageUnpacker;
import com.example.gsping.imagetool.image.ImageReader;
import com.example.gsping.imagetool.image.ImageResolver;
import com.example.gsping.imagetool.image.ResolvedImage;
import com.example.gsping.imagetool.image.TargetPlatform;
import com.example.gsping.imagetool.reference.ImageRef;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code unpack IMAGE DIR}: the image's filesystem, layers applied, into a directory. */
@Command(name = "unpack", mixinStandardHelpOptions = true,
    description = {"Write an image's files into a directory (crane export, then tar -x).",
        "IMAGE is in the local store or a registry; DIR must be empty or absent. The layers are",
        "applied in order, whiteouts included.",
        "Nothing is written outside DIR: an entry that would be (its path or hard link leaves DIR,",
        "or it lies under a symbolic link), or a device node, stops it with one line, and what",
        "was written is removed. Files belong to you; modes and times are the image's."})
final class UnpackCommand implements Callable<Integer> {
  @ParentCommand ImageToolCommand root;

  @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]", converter = PlatformOption.class,
      description = PlatformOption.HELP)
  TargetPlatform platform;

  @Parameters(index = "0", paramLabel = "IMAGE")
  String image;

  @Parameters(index = "1", paramLabel = "DIR")
  Path dir;

  @Override
  public Integer call() throws Exception {
    ImageRef ref = ImageRef.parse(image);
    root.store().read(s -> {
      ImageReader reader = ImageLocations.reader(root, s, ref);
      ResolvedImage resolved = ImageResolver.resolve(reader, ref.reference(), platform);
      PlatformOption.noteChosen(root, resolved, platform);
      ImageUnpacker.unpack(resolved, reader, dir);
      return null;
    });
    return 0;
  }
}
