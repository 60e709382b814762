package com.example.gsping.imagetool.cli;

import com.example.gsping.imagetool.ImageToolException;
import com.example.gsping.imagetool.image.ResolvedImage;
import com.example.gsping.imagetool.image.TargetPlatform;
import picocli.CommandLine;

/** Reads {@code --platform OS/ARCH[/VARIANT]}; a platform it does not know is a usage error. */
final class PlatformOption implements CommandLine.ITypeConverter<TargetPlatform> {
  static final String HELP = "For a multi-platform image (an index), the platform's image to show, e.g. linux/arm64;"
      + " without it, this machine's platform (said on stderr). A single-platform image must be of it.";

  /** Says on stderr which platform of an index was taken when none was asked for. */
  static void noteChosen(ImageToolCommand root, ResolvedImage image, TargetPlatform asked) {
    if (image.fromIndex() && asked == null) {
      root.err().println("imagetool: " + image.name() + " is a multi-platform image; showing " + image.platform()
          + ", this machine's platform (choose with --platform)");
    }
  }

  @Override
  public TargetPlatform convert(String value) {
    try {
      return TargetPlatform.parse(value);
    } catch (ImageToolException e) {
      throw new CommandLine.TypeConversionException(e.getMessage());
    }
  }
}
