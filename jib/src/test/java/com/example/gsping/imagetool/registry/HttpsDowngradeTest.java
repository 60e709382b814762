package com.example.gsping.imagetool.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.gsping.imagetool.ImageToolException;
import com.example.gsping.imagetool.fixtures.HostileRegistry;
import com.example.gsping.imagetool.image.Descriptor;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A registry reached over HTTPS (a TLS server on loopback with a certificate made here by keytool,
 * trusted as this JVM's default) never gets the tool to send its credentials over plain HTTP: not
 * through a redirect, not to a token realm. A plain-HTTP listener on the same host records what
 * reaches it. The tool itself picks HTTP for loopback, so this drives the client directly.
 */
class HttpsDowngradeTest {
  @TempDir static Path dir;
  private static HttpsServer tls;
  private static HttpServer plain;
  private static final List<String> reachedPlain = new CopyOnWriteArrayList<>();
  private static volatile String challengeOrRedirect;

  @BeforeAll
  static void start() throws Exception {
    Path keystore = dir.resolve("registry.p12");
    Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-genkeypair",
        "-alias", "registry", "-keyalg", "EC", "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-validity", "2",
        "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", "changeit", "-keypass", "changeit")
        .redirectErrorStream(true).start();
    assertEquals(0, keytool.waitFor(), new String(keytool.getInputStream().readAllBytes()));
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      ks.load(in, "changeit".toCharArray());
    }
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(ks, "changeit".toCharArray());
    TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(ks);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
    SSLContext.setDefault(context); // this test class has a JVM of its own (reuseForks=false)

    plain = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    plain.createContext("/", x -> {
      reachedPlain.add(x.getRequestMethod() + " " + x.getRequestURI() + " Authorization=" + x.getRequestHeaders().getFirst("Authorization"));
      HostileRegistry.send(x, 200, HostileRegistry.LAYER);
      x.close();
    });
    plain.start();
    tls = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    tls.setHttpsConfigurator(new HttpsConfigurator(context));
    tls.createContext("/", HttpsDowngradeTest::answer);
    tls.start();
  }

  @AfterAll
  static void stop() {
    tls.stop(0);
    plain.stop(0);
  }

  private static void answer(HttpExchange x) throws java.io.IOException {
    try (x) {
      if (challengeOrRedirect.startsWith("Bearer")) {
        x.getResponseHeaders().set("WWW-Authenticate", challengeOrRedirect);
        HostileRegistry.send(x, 401, new byte[0]);
      } else if (!HostileRegistry.BASIC.equals(x.getRequestHeaders().getFirst("Authorization"))) {
        x.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"tls\"");
        HostileRegistry.send(x, 401, new byte[0]);
      } else {
        x.getResponseHeaders().set("Location", challengeOrRedirect);
        HostileRegistry.send(x, 307, new byte[0]);
      }
    }
  }

  private static DistributionApiClient client() throws Exception {
    String address = "127.0.0.1:" + tls.getAddress().getPort();
    Path config = dir.resolve("config.json");
    Files.writeString(config, "{\"auths\":{\"" + address + "\":{\"auth\":\"" + HostileRegistry.BASIC.substring(6) + "\"}}}");
    return new DistributionApiClient(address, URI.create("https://" + address), new RegistryCredentials(config, address),
        Duration.ofSeconds(5));
  }

  private static String plainUrl(String path) {
    return "http://127.0.0.1:" + plain.getAddress().getPort() + path;
  }

  @Test
  void aRedirectFromHttpsToPlainHttpIsNotFollowed() throws Exception {
    challengeOrRedirect = plainUrl("/blob");
    reachedPlain.clear();
    Descriptor layer = new Descriptor("application/vnd.oci.image.layer.v1.tar", HostileRegistry.LAYER.length, HostileRegistry.LAYER_DIGEST);
    ImageToolException e = assertThrows(ImageToolException.class, () -> client().openBlob("app", layer).close());
    assertTrue(e.getMessage().contains("from HTTPS to http"), e.getMessage());
    assertEquals(List.of(), reachedPlain);
  }

  @Test
  void aTokenRealmOverPlainHttpGetsNoCredentials() throws Exception {
    challengeOrRedirect = "Bearer realm=\"" + plainUrl("/token") + "\",service=\"tls\"";
    reachedPlain.clear();
    ImageToolException e = assertThrows(ImageToolException.class, () -> client().getManifest("app", "latest"));
    assertTrue(e.getMessage().contains("which is not an HTTPS URL as the registry's own; no credentials sent there"), e.getMessage());
    assertEquals(List.of(), reachedPlain);
  }
}
