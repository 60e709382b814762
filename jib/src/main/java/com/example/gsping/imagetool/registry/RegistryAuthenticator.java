package com.example.gsping.imagetool.registry;

import com.example.gsping.imagetool.ImageToolException;
import com.example.gsping.imagetool.image.StreamingJson;
import com.example.gsping.imagetool.image.StreamingJson.Field;
import com.fasterxml.jackson.core.JsonParser;
import com.google.cloud.tools.jib.api.Credential;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Answers a registry's {@code WWW-Authenticate} challenges: {@code Basic} with the user's
 * credentials, or {@code Bearer} by fetching a token from the challenge's realm for the
 * operation's scope (Docker's token protocol, credentials sent as Basic to the realm).
 *
 * <p>Written here rather than taken from jib-core: its RegistryAuthenticator can only be made
 * from inside its own package and only asks for pull or pull+push scopes, while untag needs
 * the {@code delete} action.
 */
final class RegistryAuthenticator {
  private final String registry;
  private final boolean https;
  private final RegistryCredentials credentials;
  private final SchemeHttpClients http;
  private final Duration timeout;
  private final Map<String, String> bearerByScope = new ConcurrentHashMap<>();
  private volatile String basicHeader;
  private volatile AuthChallenge bearerChallenge;

  /** {@code https}: the registry is reached over HTTPS, so its token realm must be too. */
  RegistryAuthenticator(String registry, boolean https, RegistryCredentials credentials, SchemeHttpClients http, Duration timeout) {
    this.registry = registry;
    this.https = https;
    this.credentials = credentials;
    this.http = http;
    this.timeout = timeout;
  }

  /** The Authorization header to send for {@code scope}, once the registry's scheme is known. */
  Optional<String> header(String scope) throws IOException {
    if (basicHeader != null) {
      return Optional.of(basicHeader);
    }
    String cached = bearerByScope.get(scope);
    if (cached != null) {
      return Optional.of(cached);
    }
    if (bearerChallenge != null) {
      String header = fetchToken(bearerChallenge, scope);
      bearerByScope.put(scope, header);
      return Optional.of(header);
    }
    return Optional.empty();
  }

  /** Handles a 401: prepares the header for the retry. */
  void respond(Optional<String> wwwAuthenticate, String scope) throws IOException {
    if (wwwAuthenticate.isEmpty()) {
      throw new ImageToolException("registry " + registry + " answered 401 Unauthorized without an authentication challenge");
    }
    AuthChallenge challenge = AuthChallenge.parse(wwwAuthenticate.get());
    if (challenge.isBasic()) {
      Credential c = credentials.get().orElseThrow(this::authenticationRequired);
      basicHeader = basic(c);
    } else if (challenge.isBearer()) {
      bearerChallenge = challenge;
      bearerByScope.put(scope, fetchToken(challenge, scope));
    } else {
      throw new ImageToolException("registry " + registry + " asks for unsupported authentication scheme '" + challenge.scheme() + "'");
    }
  }

  /** The failure to report when the registry still says 401 after we authenticated. */
  ImageToolException rejected(String detail) {
    Optional<Credential> c = credentials.get();
    if (c.isEmpty()) {
      return authenticationRequired();
    }
    return new ImageToolException("registry " + registry + " refused the credentials of user '" + c.get().getUsername()
        + "' from " + credentials.configFile() + (detail.isBlank() ? "" : " (" + detail + ")"));
  }

  private ImageToolException authenticationRequired() {
    return new ImageToolException("registry " + registry + " requires authentication and " + credentials.configFile()
        + " has no credentials for it (docker login " + registry + ")");
  }

  private String fetchToken(AuthChallenge challenge, String scope) throws IOException {
    String realm = challenge.param("realm");
    if (realm == null) {
      throw new ImageToolException("registry " + registry + " sent a Bearer challenge without a realm");
    }
    StringBuilder url = new StringBuilder(realm).append(realm.contains("?") ? '&' : '?');
    if (challenge.param("service") != null) {
      url.append("service=").append(enc(challenge.param("service"))).append('&');
    }
    for (String s : scope.split(" ")) {
      url.append("scope=").append(enc(s)).append('&');
    }
    URI realmUrl;
    try {
      realmUrl = URI.create(url.substring(0, url.length() - 1));
    } catch (IllegalArgumentException e) {
      throw new ImageToolException("registry " + registry + " sent an unusable token realm '" + realm + "'");
    }
    String scheme = realmUrl.getScheme() == null ? "" : realmUrl.getScheme();
    if (realmUrl.getHost() == null || !(scheme.equals("https") || scheme.equals("http") && !https)) {
      throw new ImageToolException("registry " + registry + " sent the token realm " + realm + ", which is not "
          + (https ? "an HTTPS URL as the registry's own" : "an HTTP(S) URL") + "; no credentials sent there");
    }
    // Redirects are not followed (the client follows none): a token service answers itself.
    HttpRequest.Builder request = HttpRequest.newBuilder(realmUrl).timeout(timeout).GET();
    Optional<Credential> c = credentials.get();
    c.ifPresent(cred -> request.header("Authorization", basic(cred)));
    HttpResponse<InputStream> response;
    try {
      response = http.forUri(realmUrl).send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      throw NetworkFailures.describe("token service of " + registry + " (" + realm + ")", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ImageToolException("interrupted");
    }
    String what = "token service of " + registry;
    byte[] body = ResponseBodies.read(response, DistributionApiClient.MAX_SMALL_BODY_BYTES, what, timeout, response.statusCode() == 200);
    if (response.statusCode() == 401 || response.statusCode() == 403) {
      throw c.isPresent() ? rejected("token service said " + response.statusCode()) : authenticationRequired();
    }
    if (response.statusCode() != 200) {
      throw new ImageToolException(what + " answered " + response.statusCode() + ": " + RegistryErrorBody.describe(body));
    }
    TokenResponse token = StreamingJson.parse(body, TokenResponse::read, what + "'s answer");
    String value = token.token != null ? token.token : token.accessToken;
    if (value == null || !value.matches("[\\x21-\\x7e]{1,8192}")) {
      throw new ImageToolException("token service of " + registry + " returned no usable token");
    }
    return "Bearer " + value;
  }

  private static String basic(Credential c) {
    String pair = c.getUsername() + ":" + c.getPassword();
    return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  record TokenResponse(String token, String accessToken) {
    private static final Field<String> TOKEN = new Field<>("token", StreamingJson::string);
    private static final Field<String> ACCESS_TOKEN = new Field<>("access_token", StreamingJson::string);
    private static final List<Field<?>> FIELDS = List.of(TOKEN, ACCESS_TOKEN);

    static TokenResponse read(JsonParser p) throws IOException {
      StreamingJson.Fields f = StreamingJson.object(p, FIELDS);
      return f == null ? null : new TokenResponse(f.get(TOKEN), f.get(ACCESS_TOKEN));
    }
  }
}
