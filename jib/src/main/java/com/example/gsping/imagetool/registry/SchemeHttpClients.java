package com.example.gsping.imagetool.registry;

import java.net.URI;
import java.net.http.HttpClient;
import java.security.SecureRandom;
import java.time.Duration;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * One registry's HTTP clients (HTTP/1.1, redirects never followed by the JDK, keep-alive
 * connections shared by all requests): one for https URLs, with the JDK's default TLS set up
 * (trust store read, about a hundred certificates parsed), and one for plain http URLs that
 * loads none of the JDK's TLS (even an uninitialised {@code SSLContext.getInstance("TLS")} costs
 * some 50 ms of a start), which a plain-HTTP registry then never pays for. Each is built on
 * first use.
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
      plain = builder().sslContext(new PlainHttpOnlyContext()).sslParameters(new SSLParameters()).build();
    }
    return plain;
  }

  /** The TLS context of the client that only sends to http URLs: the JDK's HttpClient stores it, any use of it fails. */
  private static final class PlainHttpOnlyContext extends SSLContext {
    PlainHttpOnlyContext() {
      super(new RefusingSpi(), null, "none");
    }
  }

  private static final class RefusingSpi extends SSLContextSpi {
    private static UnsupportedOperationException refused() {
      return new UnsupportedOperationException("the plain-HTTP registry client has no TLS");
    }

    @Override
    protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom sr) {
      throw refused();
    }

    @Override
    protected SSLSocketFactory engineGetSocketFactory() {
      throw refused();
    }

    @Override
    protected SSLServerSocketFactory engineGetServerSocketFactory() {
      throw refused();
    }

    @Override
    protected SSLEngine engineCreateSSLEngine() {
      throw refused();
    }

    @Override
    protected SSLEngine engineCreateSSLEngine(String host, int port) {
      throw refused();
    }

    @Override
    protected SSLSessionContext engineGetServerSessionContext() {
      throw refused();
    }

    @Override
    protected SSLSessionContext engineGetClientSessionContext() {
      throw refused();
    }
  }

  private HttpClient.Builder builder() {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(connectTimeout)
        .followRedirects(HttpClient.Redirect.NEVER);
  }
}
