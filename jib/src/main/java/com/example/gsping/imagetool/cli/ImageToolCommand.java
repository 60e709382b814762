package com.example.gsping.imagetool.cli;

import com.example.gsping.imagetool.layer.LayerSizes;
import com.example.gsping.imagetool.registry.DistributionApiClient;
import com.example.gsping.imagetool.registry.RegistryCredentials;
import com.example.gsping.imagetool.store.OciImageStore;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** {@code imagetool}: the global options and what every command shares (store, registries, output). */
@Command(
    name = "imagetool",
    mixinStandardHelpOptions = true,
    version = "docker-gs-ping imagetool 1.0.0",
    description = {
      "Docker's image commands for the images Jib builds, without a Docker daemon.",
      "A REFERENCE whose first component has a '.' or ':' or is 'localhost' (127.0.0.1:5000/app:v1)"
          + " names an image in that registry; any other (docker-gs-ping:latest) one in the local store."
    },
    subcommands = {
      ListCommand.class,
      TagCommand.class,
      UntagCommand.class,
      HistoryCommand.class,
      CompareCommand.class,
      LoadCommand.class,
      PushCommand.class
    })
public final class ImageToolCommand implements Runnable {
  private final Map<String, String> env;
  private final PrintWriter out;
  private final PrintWriter err;
  private final Map<String, DistributionApiClient> registries = new HashMap<>();

  @Option(names = "--store", paramLabel = "DIR", scope = ScopeType.INHERIT,
      description = "Local image store (an OCI image layout). Default: $IMAGETOOL_STORE, else"
          + " ${XDG_DATA_HOME:-$HOME/.local/share}/docker-gs-ping/images.")
  Path storeDir;

  @Option(names = "--config", paramLabel = "DIR", scope = ScopeType.INHERIT,
      description = "Docker client config directory holding config.json (credentials). Default: $DOCKER_CONFIG, else ~/.docker.")
  Path configDir;

  @Option(names = "--insecure", scope = ScopeType.INHERIT,
      description = "Use plain HTTP for registries that are not on loopback (loopback ones always use it).")
  boolean insecure;

  @Option(names = "--registry-timeout", paramLabel = "SECONDS", scope = ScopeType.INHERIT, defaultValue = "60",
      description = "Fail when a registry sends nothing for this long, or takes longer for a whole manifest,"
          + " token or page of tags. Default: ${DEFAULT-VALUE}.")
  int registryTimeoutSeconds;

  @Option(names = "--debug", scope = ScopeType.INHERIT, description = "Print stack traces of failures.")
  boolean debug;

  ImageToolCommand(Map<String, String> env, PrintWriter out, PrintWriter err) {
    this.env = env;
    this.out = out;
    this.err = err;
  }

  @Override
  public void run() {
    new picocli.CommandLine(this).usage(out);
  }

  boolean debug() {
    return debug;
  }

  PrintWriter out() {
    return out;
  }

  PrintWriter err() {
    return err;
  }

  OciImageStore store() {
    return new OciImageStore(storeDir != null ? storeDir : OciImageStore.defaultLocation(env));
  }

  /** Layer sizes are cached in the store's .imagetool/ directory, for local and registry images. */
  LayerSizes layerSizes() {
    return new LayerSizes(store().layerSizeCache());
  }

  DistributionApiClient registry(String host) {
    return registries.computeIfAbsent(host, h ->
        new DistributionApiClient(h, insecure, new RegistryCredentials(RegistryCredentials.configFile(configDir, env), h),
            Duration.ofSeconds(Math.max(1, registryTimeoutSeconds))));
  }

  Instant now() {
    return Instant.now();
  }
}
