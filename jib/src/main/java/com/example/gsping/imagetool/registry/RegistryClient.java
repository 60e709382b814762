package com.example.gsping.imagetool.registry;

import com.example.gsping.imagetool.ImageToolException;
import com.example.gsping.imagetool.image.Digests;
import com.example.gsping.imagetool.image.ImageFormatException;
import com.example.gsping.imagetool.image.ImageNotFoundException;
import com.example.gsping.imagetool.image.Json;
import com.example.gsping.imagetool.image.MediaTypes;
import com.example.gsping.imagetool.image.RawManifest;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A client for one registry over the OCI distribution API (/v2/): manifests by tag or digest
 * (raw bytes in, raw bytes out), blobs (HEAD, GET, monolithic upload, cross-repository mount),
 * tag listing and deletes.
 *
 * <p>Hand-written on the JDK's HttpClient because jib-core's RegistryClient, though public, is
 * internal API that (1) only pushes a manifest by re-serializing a parsed template, so a
 * retag could change the digest of a manifest Jib did not write, (2) has no manifest or blob
 * DELETE, and (3) lists no tags. Credentials still come from jib-core
 * ({@link RegistryCredentials}).
 *
 * <p>Plain HTTP is used for loopback registries (127.0.0.0/8, ::1, localhost) and with
 * {@code --insecure}; HTTPS otherwise.
 */
public final class RegistryClient {
  private static final Pattern NEXT_LINK = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"?next\"?");

  private final String registry;
  private final URI base;
  private final HttpClient http;
  private final RegistryAuthenticator auth;

  public RegistryClient(String registry, boolean insecure, RegistryCredentials credentials) {
    this.registry = registry;
    this.base = URI.create((insecure || isLoopback(registry) ? "http://" : "https://") + registry);
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
    this.auth = new RegistryAuthenticator(registry, credentials, http);
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
    HttpResponse<byte[]> r =
        send(pull(repository), () -> request("/v2/" + repository + "/manifests/" + reference)
            .header("Accept", String.join(", ", MediaTypes.MANIFEST_ACCEPT)).GET(), bytes());
    if (r.statusCode() == 404) {
      throw new ImageNotFoundException("No such image: " + registry + "/" + repository + sep(reference) + reference
          + " (" + RegistryErrorBody.describe(r.body()).trim() + ")");
    }
    expect(r, 200, "GET manifest " + repository + sep(reference) + reference);
    RawManifest manifest = RawManifest.of(r.body(), r.headers().firstValue("Content-Type").orElse(null));
    if (Digests.isSha256(reference) && !manifest.digest().equals(reference)) {
      throw new ImageFormatException("registry " + registry + " served manifest " + manifest.digest() + " for " + reference);
    }
    return manifest;
  }

  /** The digest a tag or digest resolves to, or empty when the registry has no such manifest. */
  public Optional<String> manifestDigest(String repository, String reference) throws IOException {
    HttpResponse<byte[]> r =
        send(pull(repository), () -> request("/v2/" + repository + "/manifests/" + reference)
            .header("Accept", String.join(", ", MediaTypes.MANIFEST_ACCEPT))
            .method("HEAD", HttpRequest.BodyPublishers.noBody()), bytes());
    if (r.statusCode() == 404) {
      return Optional.empty();
    }
    expect(r, 200, "HEAD manifest " + repository + sep(reference) + reference);
    Optional<String> digest = r.headers().firstValue("Docker-Content-Digest");
    if (digest.isPresent()) {
      return digest;
    }
    return Optional.of(getManifest(repository, reference).digest());
  }

  /** PUTs the manifest's exact bytes under a tag or its digest; returns the digest. */
  public String putManifest(String repository, String reference, RawManifest manifest) throws IOException {
    HttpResponse<byte[]> r =
        send(push(repository), () -> request("/v2/" + repository + "/manifests/" + reference)
            .header("Content-Type", manifest.mediaType())
            .PUT(HttpRequest.BodyPublishers.ofByteArray(manifest.bytes())), bytes());
    expect(r, 201, "PUT manifest " + repository + sep(reference) + reference);
    return manifest.digest();
  }

  /** What a DELETE answered; 202 means done. */
  public record DeleteResult(int status, String errorCode, String detail) {
    public boolean deleted() {
      return status == 202 || status == 200;
    }
  }

  public DeleteResult deleteManifest(String repository, String reference) throws IOException {
    HttpResponse<byte[]> r =
        send(delete(repository), () -> request("/v2/" + repository + "/manifests/" + reference).DELETE(), bytes());
    failOnDenied(r, "DELETE manifest " + repository + sep(reference) + reference);
    return new DeleteResult(r.statusCode(), RegistryErrorBody.code(r.body()), RegistryErrorBody.describe(r.body()));
  }

  // ---- blobs

  public boolean hasBlob(String repository, String digest) throws IOException {
    HttpResponse<byte[]> r =
        send(pull(repository), () -> request("/v2/" + repository + "/blobs/" + digest)
            .method("HEAD", HttpRequest.BodyPublishers.noBody()), bytes());
    if (r.statusCode() == 404) {
      return false;
    }
    expect(r, 200, "HEAD blob " + repository + "@" + digest);
    return true;
  }

  public InputStream openBlob(String repository, String digest) throws IOException {
    HttpResponse<InputStream> r =
        send(pull(repository), () -> request("/v2/" + repository + "/blobs/" + digest).GET(),
            HttpResponse.BodyHandlers.ofInputStream());
    if (r.statusCode() != 200) {
      byte[] body;
      try (InputStream in = r.body()) {
        body = in.readNBytes(4096);
      }
      if (r.statusCode() == 404) {
        throw new ImageNotFoundException("registry " + registry + " has no blob " + digest + " in " + repository);
      }
      throw failure("GET blob " + repository + "@" + digest, r.statusCode(), body);
    }
    return r.body();
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
    HttpResponse<byte[]> r =
        send(scope, () -> request("/v2/" + repository + "/blobs/uploads/" + query)
            .POST(HttpRequest.BodyPublishers.noBody()), bytes());
    if (r.statusCode() == 201 && fromRepository != null) {
      return true;
    }
    expect(r, 202, "POST blob upload " + repository);
    URI location = base.resolve(r.headers().firstValue("Location")
        .orElseThrow(() -> new ImageToolException("registry " + registry + " started an upload without a Location")));
    String target = location.toString() + (location.getRawQuery() == null ? "?" : "&") + "digest=" + digest;
    HttpResponse<byte[]> put =
        send(push(repository), () -> HttpRequest.newBuilder(URI.create(target)).timeout(Duration.ofMinutes(30))
            .header("Content-Type", "application/octet-stream")
            .PUT(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(content), size)),
            bytes());
    expect(put, 201, "PUT blob " + repository + "@" + digest);
    return false;
  }

  public void uploadBlob(String repository, String digest, long size, Supplier<InputStream> content) throws IOException {
    mountOrUpload(repository, digest, size, null, content);
  }

  public DeleteResult deleteBlob(String repository, String digest) throws IOException {
    HttpResponse<byte[]> r =
        send(delete(repository), () -> request("/v2/" + repository + "/blobs/" + digest).DELETE(), bytes());
    return new DeleteResult(r.statusCode(), RegistryErrorBody.code(r.body()), RegistryErrorBody.describe(r.body()));
  }

  // ---- tags

  public List<String> listTags(String repository) throws IOException {
    List<String> tags = new ArrayList<>();
    String next = "/v2/" + repository + "/tags/list?n=1000";
    for (int page = 0; next != null && page < 1000; page++) {
      String path = next;
      HttpResponse<byte[]> r = send(pull(repository), () -> request(path).GET(), bytes());
      if (r.statusCode() == 404) {
        throw new ImageNotFoundException("registry " + registry + " has no repository " + repository);
      }
      expect(r, 200, "GET tags of " + repository);
      TagList list = Json.read(r.body(), TagList.class);
      if (list.tags() != null) {
        tags.addAll(list.tags());
      }
      Matcher m = NEXT_LINK.matcher(r.headers().firstValue("Link").orElse(""));
      next = m.find() ? m.group(1) : null;
    }
    return tags;
  }

  record TagList(String name, List<String> tags) {}

  // ---- plumbing

  private HttpRequest.Builder request(String pathAndQuery) {
    return HttpRequest.newBuilder(base.resolve(pathAndQuery)).timeout(Duration.ofMinutes(5));
  }

  private <T> HttpResponse<T> send(String scope, Supplier<HttpRequest.Builder> request, HttpResponse.BodyHandler<T> handler)
      throws IOException {
    for (int attempt = 0; ; attempt++) {
      HttpRequest.Builder b = request.get();
      auth.header(scope).ifPresent(h -> b.header("Authorization", h));
      HttpRequest req = b.build();
      HttpResponse<T> response;
      try {
        response = http.send(req, handler);
      } catch (IOException e) {
        throw NetworkFailures.describe("registry " + registry, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ImageToolException("interrupted");
      }
      if (response.statusCode() != 401) {
        return response;
      }
      String detail = describeAndDiscard(response);
      if (attempt > 0) {
        throw auth.rejected("401 " + detail);
      }
      auth.respond(response.headers().firstValue("WWW-Authenticate"), scope);
    }
  }

  private static String describeAndDiscard(HttpResponse<?> response) throws IOException {
    Object body = response.body();
    if (body instanceof InputStream in) {
      try (in) {
        return RegistryErrorBody.describe(in.readNBytes(4096));
      }
    }
    return body instanceof byte[] bytes ? RegistryErrorBody.describe(bytes) : "";
  }

  private void expect(HttpResponse<byte[]> r, int status, String what) {
    if (r.statusCode() != status && !(status == 200 && r.statusCode() == 200)) {
      throw failure(what, r.statusCode(), r.body());
    }
  }

  private void failOnDenied(HttpResponse<byte[]> r, String what) {
    if (r.statusCode() == 403) {
      throw failure(what, 403, r.body());
    }
  }

  private ImageToolException failure(String what, int status, byte[] body) {
    String detail = body == null ? "" : RegistryErrorBody.describe(body);
    if (status == 403) {
      return new ImageToolException("registry " + registry + " denied " + what + " (403 " + detail + ")");
    }
    return new ImageToolException("registry " + registry + ": " + what + " failed: " + status + (detail.isBlank() ? "" : " " + detail));
  }

  private static HttpResponse.BodyHandler<byte[]> bytes() {
    return HttpResponse.BodyHandlers.ofByteArray();
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
