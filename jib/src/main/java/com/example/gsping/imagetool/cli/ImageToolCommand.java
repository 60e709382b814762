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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import picocli.AutoComplete;
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
    })
public final class ImageToolCommand implements Runnable {
  /** The commands, by name and alias. Only the one invoked is set up (picocli reflects on each one it is given). */
  private static final Map<String, Supplier<Object>> COMMANDS = new LinkedHashMap<>();
  private static final String COMPLETION = "generate-completion";
  /** The global options that take a value, which is never a command name. */
  private static final Set<String> WITH_VALUE = Set.of("--store", "--config", "--registry-timeout");

  static {
    for (Supplier<Object> command : List.<Supplier<Object>>of(ListCommand::new, TagCommand::new, UntagCommand::new,
        HistoryCommand::new, InspectCommand::new, CompareCommand::new, DiffCommand::new, LoadCommand::new, ImportCommand::new,
        IndexCommand::new, UnpackCommand::new, PushCommand::new, VerifyCommand::new, AutoComplete.GenerateCompletion::new)) {
      Command spec = command.get().getClass().getAnnotation(Command.class);
      COMMANDS.put(spec.name(), command);
      for (String alias : spec.aliases()) {
        COMMANDS.put(alias, command);
      }
    }
  }

  /** Adds the command {@code args} invoke, or all of them when they name none (help, usage errors). */
  static void addCommands(picocli.CommandLine cli, String[] args) {
    for (int i = 0; i < args.length; i++) {
      if (WITH_VALUE.contains(args[i])) {
        i++;
      } else if (!args[i].startsWith("-")) {
        Supplier<Object> invoked = COMMANDS.get(args[i]);
        if (invoked != null && !args[i].equals(COMPLETION)) { // the completion script covers every command
          cli.addSubcommand(invoked.get());
          return;
        }
        break;
      }
    }
    COMMANDS.values().stream().distinct().forEach(command -> cli.addSubcommand(command.get()));
  }

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
    picocli.CommandLine cli = new picocli.CommandLine(this);
    addCommands(cli, new String[0]);
    cli.usage(out);
  }

  boolean debug() {
    return debug;
  }

  Map<String, String> env() {
    return env;
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
