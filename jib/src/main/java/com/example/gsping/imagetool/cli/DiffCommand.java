package com.example.gsping.imagetool.cli;

import com.example.gsping.imagetool.image.ImageReader;
import com.example.gsping.imagetool.image.ImageResolver;
import com.example.gsping.imagetool.image.Json;
import com.example.gsping.imagetool.image.ResolvedImage;
import com.example.gsping.imagetool.image.TargetPlatform;
import com.example.gsping.imagetool.reference.ImageRef;
import com.example.gsping.imagetool.report.FileDiff;
import com.example.gsping.imagetool.store.OciImageStore;
import com.example.gsping.imagetool.tarball.TarballImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code diff A B}: the files two images' filesystems disagree on. */
@Command(name = "diff", mixinStandardHelpOptions = true, exitCodeOnExecutionException = 2,
    description = {"Show the files two images disagree on, one line per path as docker diff does.",
        "Each image's layers are applied in order, whiteouts and opaque directories",
        "included. A /path: only in IMAGE_B; D /path: only in IMAGE_A; C /path: in both,",
        "changed, saying what: type, content, size, mode, owner, link (symlink or hard",
        "link target), mtime. An image is a reference (local store or registry) or a",
        "tarball holding one image (FILE.tar, .tar.gz, .tgz: jib:buildTar, docker save,",
        "OCI layout). --platform as for compare: one image and two platforms compare",
        "that image's two platforms.",
        "Exit status: 0 when the filesystems are the same, 1 when they differ, 2 on",
        "error."})
final class DiffCommand implements Callable<Integer> {
  @ParentCommand ImageToolCommand root;
  @Mixin FormatOption format;

  @Mixin ImagePair images;

  @Option(names = "--ignore-timestamps", description = "Leave out changes of the modification time only.")
  boolean ignoreTimestamps;

  @Override
  public Integer call() throws Exception {
    images.check();
    List<TarballImage> tarballs = new ArrayList<>();
    try {
      FileDiff.Report report = root.store().read(s -> {
        Opened a = open(s, images.a(), images.platformA(), tarballs);
        Opened b = open(s, images.b(), images.platformB(), tarballs);
        return FileDiff.of(a.image(), a.reader(), b.image(), b.reader(), ignoreTimestamps);
      });
      if (format.format == OutputFormat.json) {
        root.out().println(Json.pretty(report));
      } else {
        FileDiff.print(report, root.out());
      }
      return report.changes().isEmpty() ? 0 : 1;
    } finally {
      tarballs.forEach(TarballImage::close);
    }
  }

  private record Opened(ResolvedImage image, ImageReader reader) {}

  /** A tarball's image (its temporary store added to {@code tarballs}, to remove), or a reference's. */
  private Opened open(OciImageStore store, String argument, TargetPlatform platform, List<TarballImage> tarballs)
      throws IOException {
    ImageReader reader;
    String tagOrDigest;
    if (TarballImage.named(argument)) {
      TarballImage tarball = TarballImage.open(Path.of(argument));
      tarballs.add(tarball);
      reader = tarball;
      tagOrDigest = tarball.digest();
    } else {
      ImageRef ref = ImageRef.parse(argument);
      reader = ImageLocations.reader(root, store, ref);
      tagOrDigest = ref.reference();
    }
    ResolvedImage image = ImageResolver.resolve(reader, tagOrDigest, platform);
    PlatformOption.noteChosen(root, image, platform);
    return new Opened(image, reader);
  }
}
