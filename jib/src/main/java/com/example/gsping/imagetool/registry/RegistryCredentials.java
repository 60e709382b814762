package com.example.gsping.imagetool.registry;

import com.example.gsping.imagetool.ImageToolException;
import com.google.cloud.tools.jib.api.Credential;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.frontend.CredentialRetrieverFactory;
import com.google.cloud.tools.jib.registry.credentials.CredentialRetrievalException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The user's credentials for one registry, the way the docker CLI finds them in
 * {@code config.json}: {@code credHelpers} (runs {@code docker-credential-NAME get}),
 * {@code credsStore}, then {@code auths} (base64 {@code auth} or identity token). That lookup is
 * jib-core's {@link CredentialRetrieverFactory#dockerConfig(Path)}; this class only picks the
 * file ({@code --config DIR}, {@code $DOCKER_CONFIG}, {@code ~/.docker}) and asks once.
 */
public final class RegistryCredentials {
  private final Path configFile;
  private final String registry;
  private Optional<Credential> credential;

  public RegistryCredentials(Path configFile, String registry) {
    this.configFile = configFile;
    this.registry = registry;
  }

  /** {@code DIR/config.json} for {@code --config DIR}, else {@code $DOCKER_CONFIG}, else {@code ~/.docker}. */
  public static Path configFile(Path configDir, Map<String, String> env) {
    if (configDir != null) {
      return configDir.resolve("config.json");
    }
    String fromEnv = env.get("DOCKER_CONFIG");
    if (fromEnv != null && !fromEnv.isBlank()) {
      return Path.of(fromEnv, "config.json");
    }
    return Path.of(System.getProperty("user.home"), ".docker", "config.json");
  }

  public synchronized Optional<Credential> get() {
    if (credential == null) {
      try {
        credential =
            CredentialRetrieverFactory.forImage(ImageReference.of(registry, "imagetool", null), event -> {})
                .dockerConfig(configFile)
                .retrieve();
      } catch (CredentialRetrievalException e) {
        throw new ImageToolException("cannot get credentials for " + registry + " from " + configFile + ": " + e.getMessage(), e);
      }
    }
    return credential;
  }

  public Path configFile() {
    return configFile;
  }
}
