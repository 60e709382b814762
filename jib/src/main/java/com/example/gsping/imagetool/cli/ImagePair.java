package com.example.gsping.imagetool.cli;

import com.example.gsping.imagetool.image.TargetPlatform;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** The two images {@code compare} and {@code diff} take: two images, or one image's two platforms. */
final class ImagePair {
  @Spec(Spec.Target.MIXEE) CommandLine.Model.CommandSpec spec;

  @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]", converter = PlatformOption.class,
      description = "Platform of both images (given once), or of IMAGE_A then IMAGE_B (given twice).")
  List<TargetPlatform> platforms = new ArrayList<>();

  @Parameters(index = "0", paramLabel = "IMAGE_A")
  String first;

  @Parameters(index = "1", arity = "0..1", paramLabel = "IMAGE_B", description = "Default: IMAGE_A (with two --platform).")
  String second;

  /** A usage error unless there are two images, or one and two platforms, and at most two platforms. */
  void check() {
    if (platforms.size() > 2 || (second == null && platforms.size() != 2)) {
      throw new CommandLine.ParameterException(spec.commandLine(), platforms.size() > 2
          ? spec.name() + " takes --platform at most twice (IMAGE_A's, then IMAGE_B's)"
          : spec.name() + " needs two images, or one image and two --platform values");
    }
  }

  String a() {
    return first;
  }

  String b() {
    return second != null ? second : first;
  }

  TargetPlatform platformA() {
    return platforms.isEmpty() ? null : platforms.get(0);
  }

  TargetPlatform platformB() {
    return platforms.isEmpty() ? null : platforms.get(platforms.size() - 1);
  }
}
