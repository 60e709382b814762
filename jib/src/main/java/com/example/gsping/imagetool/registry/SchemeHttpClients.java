package com.example.gsping.imagetool.registry;

import com.example.gsping.imagetool.ImageToolException;
import java.net.URI;
import java.net.http.HttpClient;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * One registry's HTTP clients (HTTP/1.1, redirects never followed by the JDK, keep-alive
 * connections shared by all requests): one for https URLs, with the JDK's default TLS set up
 * (trust store read, about a hundred certificates parsed), and one for plain http URLs that
 * skips that set-up, which a plain-HTTP registry then never pays for. Each is built on first use.
 */
final class SchemeHttpClients {
  private final Duration connectTimeout;
  private HttpClient tls;
  private HttpClient plain;

  SchemeHttpClients(Duration connectTimeout) {
    this.connectTimeout = connectTimeout;
  }

  /** The client for {@code uri}'s scheme. */
  synchronized HttpClient forUri(URI uri) {
    if ("https".equalsIgnoreCase(uri.getScheme())) {
      if (tls == null) {
        tls = builder().build();
      }
      return tls;
    }
    if (plain == null) {
      try {
        // never initialised nor used: this client only sends to http URLs
        plain = builder().sslContext(SSLContext.getInstance("TLS")).sslParameters(new SSLParameters()).build();
      } catch (NoSuchAlgorithmException e) {
        throw new ImageToolException("this Java has no TLS: " + e.getMessage());
      }
    }
    return plain;
  }

  private HttpClient.Builder builder() {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(connectTimeout)
        .followRedirects(HttpClient.Redirect.NEVER);
  }
}
