package com.example.gsping.imagetool.cli;

import com.example.gsping.imagetool.ImageToolException;
import com.example.gsping.imagetool.image.TargetPlatform;
import com.example.gsping.imagetool.reference.ImageRef;
import com.example.gsping.imagetool.tarball.LoadedImage;
import com.example.gsping.imagetool.tarball.RootfsImport;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code import ROOTFS.tar NAME}: an image of one layer, as {@code docker image import}. */
@Command(name = "import", mixinStandardHelpOptions = true,
    description = {"Make an image in the local store from a root filesystem tarball (docker image import).",
        "The tar, plain or gzipped, is the image's one layer, byte for byte. The config's time is",
        "$SOURCE_DATE_EPOCH when set (a reproducible image), else now. For example:",
        "  imagetool import --platform linux/arm64 --env PATH=/opt/java/bin --cmd java rootfs.tar base:1"})
final class ImportCommand implements Callable<Integer> {
  @ParentCommand ImageToolCommand root;

  @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]", converter = PlatformOption.class,
      description = "The platform the files are for. Default: this machine's.")
  TargetPlatform platform;

  @Option(names = {"-e", "--env"}, paramLabel = "NAME=VALUE", description = "An environment variable (repeatable, in order).")
  List<String> env = new ArrayList<>();

  @Option(names = {"-l", "--label"}, paramLabel = "KEY=VALUE", description = "A label (repeatable).")
  Map<String, String> labels = new TreeMap<>();

  @Option(names = "--cmd", paramLabel = "ARG", description = "The default command, one argument per --cmd.")
  List<String> cmd = new ArrayList<>();

  @Option(names = {"-u", "--user"}, paramLabel = "USER[:GROUP]", description = "The user the command runs as.")
  String user;

  @Option(names = {"-w", "--workdir"}, paramLabel = "DIR", description = "The command's working directory.")
  String workdir;

  @Option(names = "--created-by", paramLabel = "TEXT", description = "The layer's CREATED BY in history.")
  String createdBy;

  @Option(names = {"-m", "--message"}, paramLabel = "TEXT", description = "The layer's COMMENT in history.")
  String message;

  @Parameters(index = "0", paramLabel = "ROOTFS.tar")
  Path tarball;

  @Parameters(index = "1", paramLabel = "REPOSITORY[:TAG]")
  String name;

  @Override
  public Integer call() throws Exception {
    ImageRef ref = ImageRef.parse(name);
    if (ref.inRegistry() || ref.digest() != null) {
      throw new ImageToolException("import names an image of the local store, REPOSITORY[:TAG], not " + name);
    }
    env.stream().filter(e -> e.indexOf('=') <= 0).findFirst().ifPresent(e -> {
      throw new ImageToolException("--env " + e + ": write NAME=VALUE");
    });
    RootfsImport.Settings settings = new RootfsImport.Settings(platform != null ? platform : TargetPlatform.host(), created(),
        user, env, cmd, workdir, new TreeMap<>(labels), createdBy, message);
    LoadedImage image = RootfsImport.load(root.store(), tarball, ref.localName(), settings);
    root.out().println(image.imageId());
    return 0;
  }

  /** As BuildKit and the reproducible-builds convention read it. */
  private Instant created() {
    String epoch = root.env().get("SOURCE_DATE_EPOCH");
    if (epoch == null || epoch.isEmpty()) {
      return root.now();
    }
    try {
      return Instant.ofEpochSecond(Long.parseLong(epoch));
    } catch (NumberFormatException e) {
      throw new ImageToolException("SOURCE_DATE_EPOCH must be a number of seconds, not '" + epoch + "'");
    }
  }
}
