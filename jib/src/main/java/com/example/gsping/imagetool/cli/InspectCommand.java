package com.example.gsping.imagetool.cli;

import com.example.gsping.imagetool.image.ImageFormatException;
import com.example.gsping.imagetool.image.ImageReader;
import com.example.gsping.imagetool.image.ImageResolver;
import com.example.gsping.imagetool.image.ResolvedImage;
import com.example.gsping.imagetool.image.TargetPlatform;
import com.example.gsping.imagetool.reference.ImageRef;
import com.example.gsping.imagetool.report.GoTemplate;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code inspect IMAGE}: the image's config, as {@code docker image inspect} shows it. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
    description = {"Show an image's details as docker image inspect does.",
        "Id, Created, Architecture, Os, Config (Env, Entrypoint, Cmd, User, WorkingDir, Labels ...)",
        "and RootFS. --format takes docker's templates, so scripts need no JSON parser. For example:",
        "  imagetool inspect --format '{{join .Config.Entrypoint \"\\n\"}}' docker-gs-ping:multistage",
        "  imagetool inspect --format '{{index .Config.Labels \"org.opencontainers.image.version\"}}' app:1"})
final class InspectCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @ParentCommand ImageToolCommand root;

  @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]", converter = PlatformOption.class,
      description = PlatformOption.HELP)
  TargetPlatform platform;

  @Option(names = {"-f", "--format"}, paramLabel = "TEMPLATE",
      description = "Print this Go template ({{.Field}}, {{json .Field}}, {{join .Field \"SEP\"}}, {{index .Field \"KEY\"}}) instead of JSON.")
  String format;

  @Parameters(index = "0", paramLabel = "IMAGE")
  String image;

  @Override
  public Integer call() throws Exception {
    GoTemplate template = format == null ? null : new GoTemplate(format);
    ImageRef ref = ImageRef.parse(image);
    JsonNode details = root.store().read(s -> {
      ImageReader reader = ImageLocations.reader(root, s, ref);
      ResolvedImage resolved = ImageResolver.resolve(reader, ref.reference(), platform);
      PlatformOption.noteChosen(root, resolved, platform);
      return details(resolved);
    });
    root.out().println(template == null ? JSON.writerWithDefaultPrettyPrinter().writeValueAsString(JSON.createArrayNode().add(details))
        : template.render(details));
    return 0;
  }

  /** Docker's names for what the config holds; Config is the config's own {@code config} object. */
  private static JsonNode details(ResolvedImage image) throws IOException {
    JsonNode config;
    try {
      config = JSON.readTree(image.configBytes());
    } catch (IOException e) {
      throw new ImageFormatException(image.label() + ": its config is not JSON");
    }
    ObjectNode out = JSON.createObjectNode();
    out.put("Id", image.imageId());
    out.set("Created", config.get("created"));
    out.put("Architecture", image.platform().architecture());
    out.put("Os", image.platform().os());
    if (image.platform().variant() != null) {
      out.put("Variant", image.platform().variant());
    }
    out.set("Config", config.has("config") ? config.get("config") : JSON.createObjectNode());
    ObjectNode rootfs = out.putObject("RootFS");
    rootfs.put("Type", "layers");
    image.config().diffIds().forEach(rootfs.putArray("Layers")::add);
    return out;
  }
}
