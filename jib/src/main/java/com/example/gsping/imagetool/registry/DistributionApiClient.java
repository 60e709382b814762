package com.example.gsping.imagetool.registry;

import com.example.gsping.imagetool.ImageToolException;
import com.example.gsping.imagetool.image.Digests;
import com.example.gsping.imagetool.image.ImageFormatException;
import com.example.gsping.imagetool.image.ImageNotFoundException;
import com.example.gsping.imagetool.image.StreamingJson;
import com.example.gsping.imagetool.image.StreamingJson.Field;
import com.fasterxml.jackson.core.JsonParser;
import com.example.gsping.imagetool.image.MediaTypes;
import com.example.gsping.imagetool.image.RawManifest;
import com.example.gsping.imagetool.image.Descriptor;
import com.example.gsping.imagetool.image.VerifiedBlobStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A client for one registry over the OCI distribution API (/v2/): manifests by tag or digest
 * (raw bytes in, raw bytes out), blobs (HEAD, GET, monolithic upload, cross-repository mount),
 * tag listing and deletes.
 *
 * <p>Hand-written on the JDK's HttpClient because jib-core's DistributionApiClient, though public, is
 * internal API that (1) only pushes a manifest by re-serializing a parsed template, so a
 * retag could change the digest of a manifest Jib did not write, (2) has no manifest or blob
 * DELETE, and (3) lists no tags. Credentials still come from jib-core
 * ({@link RegistryCredentials}).
 *
 * <p>Plain HTTP is used for loopback registries (127.0.0.0/8, ::1, localhost) and with
 * {@code --insecure}; HTTPS otherwise.
 *
 * <p>Every registry is treated as hostile. Credentials go only to the scheme, host and port they
 * are for: redirects are followed here, not by the JDK, and a hop to anywhere else (a CDN, an
 * upload {@code Location} on another host, plain HTTP) gets no Authorization header; HTTPS is
 * never redirected to plain HTTP. What a registry sends is bounded while it streams: manifests,
 * indexes and each page of tags at most {@link #MAX_MANIFEST_BYTES}, token and error bodies at most
 * {@link #MAX_SMALL_BODY_BYTES}, at most {@link #MAX_TAGS} tags in {@link #MAX_TAG_PAGES} pages, and
 * blobs exactly their descriptor's size and digest ({@link VerifiedBlobStream}); a response that
 * stalls, or a document not complete in time, fails after the registry timeout ({@link GuardedBody}).
 */
public final class DistributionApiClient {
  /** skopeo's (containers/image) and distribution's own limit for a manifest; also each page of tags. */
  public static final int MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
  /** skopeo's limit for a token response or an error body. */
  static final int MAX_SMALL_BODY_BYTES = 1024 * 1024;
  static final int MAX_TAGS = 100_000;
  static final int MAX_TAG_PAGES = 1000;
  private static final int MAX_REDIRECTS = 5;
  private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);
  private static final Pattern NEXT_LINK = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"?next\"?");

  private final String registry;
  private final URI base;
  private final Duration timeout;
  private final SchemeHttpClients http;
  private final RegistryAuthenticator auth;

  /** {@code timeout}: how long a registry may send nothing (and take for a whole manifest, token or page of tags). */
  public DistributionApiClient(String registry, boolean insecure, RegistryCredentials credentials, Duration timeout) {
    this(registry, URI.create((insecure || isLoopback(registry) ? "http://" : "https://") + registry), credentials, timeout);
  }

  /** {@code base}: the scheme and address, e.g. an HTTPS registry on loopback in a test. */
  DistributionApiClient(String registry, URI base, RegistryCredentials credentials, Duration timeout) {
    this.registry = registry;
    this.base = base;
    this.timeout = timeout;
    this.http = new SchemeHttpClients(timeout.compareTo(Duration.ofSeconds(10)) < 0 ? timeout : Duration.ofSeconds(10));
    this.auth = new RegistryAuthenticator(registry, base.getScheme().equals("https"), credentials, http, timeout);
  }

  public String registry() {
    return registry;
  }

  static boolean isLoopback(String registry) {
    String host = registry;
    if (host.startsWith("[")) {
      host = host.substring(1, host.indexOf(']'));
    } else if (host.indexOf(':') >= 0 && host.indexOf(':') == host.lastIndexOf(':')) {
      host = host.substring(0, host.indexOf(':'));
    }
    if (host.equals("localhost")) {
      return true;
    }
    if (!host.matches("[0-9.]+") && !host.contains(":")) {
      return false; // a name: never resolved just to choose the scheme
    }
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  // ---- manifests

  public RawManifest getManifest(String repository, String reference) throws IOException {
    String what = "manifest " + repository + sep(reference) + reference;
    HttpResponse<InputStream> r =
        send(pull(repository), () -> request("/v2/" + repository + "/manifests/" + reference)
            .header("Accept", String.join(", ", MediaTypes.MANIFEST_ACCEPT)).GET());
    if (r.statusCode() == 404) {
      throw new ImageNotFoundException("No such image: " + registry + "/" + repository + sep(reference) + reference
          + " (" + RegistryErrorBody.describe(errorBody(r)).trim() + ")");
    }
    expect(r, 200, "GET " + what);
    RawManifest manifest = RawManifest.of(document(r, MAX_MANIFEST_BYTES, what), r.headers().firstValue("Content-Type").orElse(null));
    if (Digests.isSha256(reference) && !manifest.digest().equals(reference)) {
      throw new ImageFormatException("registry " + registry + " served manifest " + manifest.digest() + " for " + reference);
    }
    // by tag there is nothing else to check the bytes against: the registry's digest must be theirs
    Optional<String> claimed = r.headers().firstValue("Docker-Content-Digest").filter(Digests::isSha256);
    if (claimed.isPresent() && !claimed.get().equals(manifest.digest())) {
      throw new ImageFormatException("registry " + registry + " served manifest " + manifest.digest() + " for " + what
          + " but says its digest is " + claimed.get());
    }
    return manifest;
  }

  /** The digest a tag or digest resolves to, or empty when the registry has no such manifest. */
  public Optional<String> manifestDigest(String repository, String reference) throws IOException {
    HttpResponse<InputStream> r =
        send(pull(repository), () -> request("/v2/" + repository + "/manifests/" + reference)
            .header("Accept", String.join(", ", MediaTypes.MANIFEST_ACCEPT))
            .method("HEAD", HttpRequest.BodyPublishers.noBody()));
    if (r.statusCode() == 404) {
      errorBody(r);
      return Optional.empty();
    }
    expect(r, 200, "HEAD manifest " + repository + sep(reference) + reference);
    errorBody(r);
    Optional<String> digest = r.headers().firstValue("Docker-Content-Digest").filter(Digests::isSha256);
    if (digest.isPresent()) {
      return digest;
    }
    return Optional.of(getManifest(repository, reference).digest());
  }

  /** PUTs the manifest's exact bytes under a tag or its digest; returns the digest. */
  public String putManifest(String repository, String reference, RawManifest manifest) throws IOException {
    HttpResponse<InputStream> r =
        send(push(repository), () -> request("/v2/" + repository + "/manifests/" + reference)
            .header("Content-Type", manifest.mediaType())
            .PUT(HttpRequest.BodyPublishers.ofByteArray(manifest.bytes())));
    expect(r, 201, "PUT manifest " + repository + sep(reference) + reference);
    errorBody(r);
    return manifest.digest();
  }

  /** What a DELETE answered; 202 means done. */
  public record DeleteResult(int status, String errorCode, String detail) {
    public boolean deleted() {
      return status == 202 || status == 200;
    }
  }

  public DeleteResult deleteManifest(String repository, String reference) throws IOException {
    HttpResponse<InputStream> r =
        send(delete(repository), () -> request("/v2/" + repository + "/manifests/" + reference).DELETE());
    failOnDenied(r, "DELETE manifest " + repository + sep(reference) + reference);
    return deleteResult(r);
  }

  // ---- blobs

  public boolean hasBlob(String repository, String digest) throws IOException {
    HttpResponse<InputStream> r =
        send(pull(repository), () -> request("/v2/" + repository + "/blobs/" + digest)
            .method("HEAD", HttpRequest.BodyPublishers.noBody()));
    if (r.statusCode() == 404) {
      errorBody(r);
      return false;
    }
    expect(r, 200, "HEAD blob " + repository + "@" + digest);
    errorBody(r);
    return true;
  }

  /** The blob's bytes, checked against {@code blob}'s size and digest as they are read. */
  public InputStream openBlob(String repository, Descriptor blob) throws IOException {
    String what = "blob " + repository + "@" + blob.digest();
    HttpResponse<InputStream> r = send(pull(repository), () -> request("/v2/" + repository + "/blobs/" + blob.digest()).GET());
    if (r.statusCode() == 404) {
      errorBody(r);
      throw new ImageNotFoundException("registry " + registry + " has no blob " + blob.digest() + " in " + repository);
    }
    expect(r, 200, "GET " + what);
    return new VerifiedBlobStream(new GuardedBody(r.body(), "registry " + registry + ": " + what, timeout, false),
        blob, "registry " + registry);
  }

  /**
   * Tries to mount {@code digest} from {@code fromRepository} (same registry): true if the
   * registry linked it without an upload. When it declines, the upload session it opened is
   * used to send the bytes.
   */
  public boolean mountOrUpload(String repository, String digest, long size, String fromRepository,
      Supplier<InputStream> content) throws IOException {
    String query = fromRepository == null ? "" : "?mount=" + digest + "&from=" + fromRepository;
    String scope = fromRepository == null ? push(repository) : push(repository) + " " + pull(fromRepository);
    HttpResponse<InputStream> r =
        send(scope, () -> request("/v2/" + repository + "/blobs/uploads/" + query)
            .POST(HttpRequest.BodyPublishers.noBody()));
    if (r.statusCode() == 201 && fromRepository != null) {
      errorBody(r);
      return true;
    }
    expect(r, 202, "POST blob upload " + repository);
    errorBody(r);
    URI location = resolve(r.uri(), r.headers().firstValue("Location")
        .orElseThrow(() -> new ImageToolException("registry " + registry + " started an upload without a Location")));
    URI target = URI.create(location + (location.getRawQuery() == null ? "?" : "&") + "digest=" + digest);
    HttpResponse<InputStream> put =
        send(push(repository), () -> HttpRequest.newBuilder(target).timeout(Duration.ofMinutes(30))
            .header("Content-Type", "application/octet-stream")
            .PUT(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(content), size)));
    expect(put, 201, "PUT blob " + repository + "@" + digest);
    errorBody(put);
    return false;
  }

  public void uploadBlob(String repository, String digest, long size, Supplier<InputStream> content) throws IOException {
    mountOrUpload(repository, digest, size, null, content);
  }

  public DeleteResult deleteBlob(String repository, String digest) throws IOException {
    return deleteResult(send(delete(repository), () -> request("/v2/" + repository + "/blobs/" + digest).DELETE()));
  }

  // ---- tags

  /** Every tag, following the registry's {@code Link} pages; a registry whose pages never end fails. */
  public List<String> listTags(String repository) throws IOException {
    List<String> tags = new ArrayList<>();
    Set<URI> seen = new HashSet<>();
    URI next = base.resolve("/v2/" + repository + "/tags/list?n=1000");
    while (next != null) {
      if (!seen.add(next)) {
        throw new ImageFormatException("registry " + registry + " sent a tag list whose pages loop (" + next + ")");
      }
      if (seen.size() > MAX_TAG_PAGES) {
        throw new ImageFormatException("registry " + registry + " sent more than " + MAX_TAG_PAGES + " pages of tags for " + repository);
      }
      URI page = next;
      HttpResponse<InputStream> r = send(pull(repository), () -> HttpRequest.newBuilder(page).timeout(timeout).GET());
      if (r.statusCode() == 404) {
        errorBody(r);
        throw new ImageNotFoundException("registry " + registry + " has no repository " + repository);
      }
      expect(r, 200, "GET tags of " + repository);
      TagList list = StreamingJson.parse(document(r, MAX_MANIFEST_BYTES, "tag list of " + repository), TagList::read,
          "registry " + registry + ": tag list of " + repository);
      if (list.tags() != null) {
        list.tags().forEach(t -> tags.add(Objects.requireNonNullElse(t, "")));
      }
      if (tags.size() > MAX_TAGS || tags.contains("")) {
        throw new ImageFormatException("registry " + registry + " sent a tag list of " + repository
            + (tags.contains("") ? " with an empty tag" : " longer than " + MAX_TAGS + " tags"));
      }
      Matcher m = NEXT_LINK.matcher(r.headers().firstValue("Link").orElse(""));
      next = m.find() ? resolve(r.uri(), m.group(1)) : null;
    }
    return tags;
  }

  record TagList(String name, List<String> tags) {
    private static final Field<String> NAME = new Field<>("name", StreamingJson::string);
    private static final Field<List<String>> TAGS = new Field<>("tags", StreamingJson.listOf(StreamingJson::string));
    private static final List<Field<?>> FIELDS = List.of(NAME, TAGS);

    static TagList read(JsonParser p) throws IOException {
      StreamingJson.Fields f = StreamingJson.object(p, FIELDS);
      return f == null ? null : new TagList(f.get(NAME), f.get(TAGS));
    }
  }

  // ---- plumbing

  private HttpRequest.Builder request(String pathAndQuery) {
    return HttpRequest.newBuilder(base.resolve(pathAndQuery)).timeout(timeout);
  }

  /** Sends with this registry's credentials, answering one 401 challenge; the body is still to be read. */
  private HttpResponse<InputStream> send(String scope, Supplier<HttpRequest.Builder> request) throws IOException {
    for (int attempt = 0; ; attempt++) {
      HttpResponse<InputStream> response = sendFollowingRedirects(request.get().build(), scope);
      if (response.statusCode() != 401 || !isRegistry(response.uri())) {
        return response;
      }
      String detail = RegistryErrorBody.describe(errorBody(response));
      if (attempt > 0) {
        throw auth.rejected("401 " + detail);
      }
      auth.respond(response.headers().firstValue("WWW-Authenticate"), scope);
    }
  }

  private HttpResponse<InputStream> sendFollowingRedirects(HttpRequest first, String scope) throws IOException {
    HttpRequest req = first;
    for (int hop = 0; ; hop++) {
      HttpRequest.Builder b = HttpRequest.newBuilder(req, (name, value) -> !name.equalsIgnoreCase("Authorization"));
      if (isRegistry(req.uri())) {
        auth.header(scope).ifPresent(h -> b.header("Authorization", h));
      }
      HttpResponse<InputStream> response;
      try {
        response = http.forUri(req.uri()).send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
      } catch (IOException e) {
        throw NetworkFailures.describe("registry " + registry, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ImageToolException("interrupted");
      }
      Optional<String> location = response.headers().firstValue("Location");
      if (!REDIRECTS.contains(response.statusCode()) || location.isEmpty()) {
        return response;
      }
      errorBody(response);
      if (hop == MAX_REDIRECTS) {
        throw new ImageToolException("registry " + registry + " redirected " + first.method() + " " + first.uri().getPath()
            + " more than " + MAX_REDIRECTS + " times");
      }
      URI next = resolve(req.uri(), location.get());
      if (req.uri().getScheme().equals("https") && !next.getScheme().equals("https")) {
        throw new ImageToolException("registry " + registry + " redirected " + first.method() + " " + first.uri().getPath()
            + " from HTTPS to " + next.getScheme() + ": " + next + "; not followed");
      }
      HttpRequest.Builder redirected = HttpRequest.newBuilder(req, (name, value) -> true).uri(next);
      if (response.statusCode() == 303) {
        redirected.method("GET", HttpRequest.BodyPublishers.noBody());
      }
      req = redirected.build();
    }
  }

  /** A URL the registry sent (Location, Link), resolved; only http and https. */
  private URI resolve(URI against, String reference) {
    try {
      URI uri = against.resolve(reference.strip());
      if (uri.getHost() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
        throw new IllegalArgumentException("not an http(s) URL");
      }
      return uri;
    } catch (IllegalArgumentException e) {
      throw new ImageFormatException("registry " + registry + " sent an unusable URL '" + reference + "' (" + e.getMessage() + ")");
    }
  }

  /** Whether credentials for this registry may go to {@code uri}: same scheme, host and port. */
  private boolean isRegistry(URI uri) {
    return base.getScheme().equalsIgnoreCase(uri.getScheme())
        && base.getHost().equalsIgnoreCase(uri.getHost())
        && port(base) == port(uri);
  }

  private static int port(URI uri) {
    return uri.getPort() >= 0 ? uri.getPort() : uri.getScheme().equalsIgnoreCase("https") ? 443 : 80;
  }

  /** A document read whole: at most {@code max} bytes, complete within the registry timeout. */
  private byte[] document(HttpResponse<InputStream> r, int max, String what) throws IOException {
    return ResponseBodies.read(r, max, "registry " + registry + ": " + what, timeout, true);
  }

  /** The start of a body only described in a message (at most {@link #MAX_SMALL_BODY_BYTES}); the rest is dropped. */
  private byte[] errorBody(HttpResponse<InputStream> r) throws IOException {
    return ResponseBodies.read(r, MAX_SMALL_BODY_BYTES, "registry " + registry + ": answer to " + r.request().method()
        + " " + r.uri().getPath(), timeout, false);
  }

  private DeleteResult deleteResult(HttpResponse<InputStream> r) throws IOException {
    byte[] body = errorBody(r);
    return new DeleteResult(r.statusCode(), RegistryErrorBody.code(body), RegistryErrorBody.describe(body));
  }

  private void expect(HttpResponse<InputStream> r, int status, String what) throws IOException {
    if (r.statusCode() != status) {
      throw failure(what, r.statusCode(), errorBody(r));
    }
  }

  private void failOnDenied(HttpResponse<InputStream> r, String what) throws IOException {
    if (r.statusCode() == 403) {
      throw failure(what, 403, errorBody(r));
    }
  }

  private ImageToolException failure(String what, int status, byte[] body) {
    String detail = RegistryErrorBody.describe(body);
    if (status == 403) {
      return new ImageToolException("registry " + registry + " denied " + what + " (403 " + detail + ")");
    }
    return new ImageToolException("registry " + registry + ": " + what + " failed: " + status + (detail.isBlank() ? "" : " " + detail));
  }

  private static String sep(String reference) {
    return Digests.isSha256(reference) ? "@" : ":";
  }

  static String pull(String repository) {
    return "repository:" + repository + ":pull";
  }

  static String push(String repository) {
    return "repository:" + repository + ":pull,push";
  }

  static String delete(String repository) {
    return "repository:" + repository + ":delete";
  }
}
