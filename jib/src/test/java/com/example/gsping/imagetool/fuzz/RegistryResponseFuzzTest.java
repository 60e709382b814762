package com.example.gsping.imagetool.fuzz;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.api.SilentCloseable;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.example.gsping.imagetool.fixtures.CliRun;
import com.example.gsping.imagetool.fixtures.HostileRegistry;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzes what the tool makes of a registry's answers: the {@link HostileRegistry} answers the
 * first requests of {@code ls}, {@code history} or {@code compare} with statuses, headers
 * (Content-Type, Location, Link, WWW-Authenticate, Docker-Content-Digest) and bodies taken from the
 * fuzzer's bytes, then honestly. Every run ends in success or one line and exit 1, within the
 * registry timeout. Seeds: {@code src/test/resources/com/example/gsping/imagetool/fuzz/RegistryResponseFuzzTestInputs/}.
 */
class RegistryResponseFuzzTest {
  private static final List<Integer> STATUSES = List.of(200, 200, 200, 201, 202, 204, 301, 307, 400, 401, 403, 404, 500);
  private static final List<String> HEADERS = List.of("Content-Type", "Location", "Link", "WWW-Authenticate", "Docker-Content-Digest");
  private static final List<String> VALUES = List.of("application/vnd.oci.image.index.v1+json",
      "application/vnd.docker.distribution.manifest.v2+json", "/v2/app/manifests/latest", "http://127.0.0.2:1/x",
      "</v2/app/tags/list?last=a>; rel=\"next\"", "<http://[::1/>; rel=next", "Basic realm=\"x\"",
      "Bearer realm=\"http://127.0.0.1:1/token\",service=\"s\"", "Bearer service=\"s\"", "Digest realm=x", "sha256:", "");
  private static final List<String> COMMANDS = List.of("ls", "history", "compare");

  private static HostileRegistry registry;
  @TempDir static Path dir;
  private static final Deque<Answer> script = new ArrayDeque<>();

  private record Answer(int status, List<String[]> headers, byte[] body) {}

  @BeforeAll
  static void start() throws IOException {
    registry = HostileRegistry.start().withoutBasicAuth().intercept(x -> {
      Answer a;
      synchronized (script) {
        a = script.poll();
      }
      if (a != null) {
        answer(x, a);
      }
      return a != null;
    });
  }

  @AfterAll
  static void stop() throws IOException {
    registry.close();
  }

  @FuzzTest(maxDuration = "5s")
  void anyRegistryAnswerEndsInSuccessOrOneLine(FuzzedDataProvider data) throws IOException {
    String command = data.pickValue(COMMANDS);
    synchronized (script) {
      script.clear();
      for (int i = data.consumeInt(1, 4); i > 0; i--) {
        List<String[]> headers = new java.util.ArrayList<>();
        for (int h = data.consumeInt(0, 3); h > 0; h--) {
          String value = data.consumeBoolean() ? data.pickValue(VALUES) : printable(data.consumeString(60));
          headers.add(new String[] {data.pickValue(HEADERS), value});
        }
        byte[] body = data.consumeBoolean() ? data.consumeString(300).getBytes(StandardCharsets.UTF_8) : data.consumeBytes(300);
        script.add(new Answer(data.pickValue(STATUSES), headers, body));
      }
    }
    String image = registry.address() + "/app";
    String[] args = switch (command) {
      case "ls" -> new String[] {"--registry-timeout", "2", "ls", image};
      case "history" -> new String[] {"--registry-timeout", "2", "history", image + ":latest"};
      default -> new String[] {"--registry-timeout", "2", "compare", image + ":latest", image + "@" + registry.manifestDigest};
    };
    Path store = Files.createTempDirectory(dir, "store-");
    // Jazzer's SSRF detector flags every connection unless allowed: the tool may only reach loopback here
    try (SilentCloseable loopbackOnly = BugDetectors.allowNetworkConnections((host, port) -> host.startsWith("127.") || host.equals("localhost") || host.equals("::1"))) {
      OneLineFailure.assertCleanOutcome(CliRun.run(store, args));
    }
  }

  private static void answer(HttpExchange x, Answer a) throws IOException {
    for (String[] h : a.headers()) {
      x.getResponseHeaders().add(h[0], h[1]);
    }
    HostileRegistry.send(x, a.status(), a.body(), x.getResponseHeaders().getFirst("Content-Type") == null
        ? "application/vnd.oci.image.manifest.v1+json" : x.getResponseHeaders().getFirst("Content-Type"));
  }

  /** A header value the JDK's server will send: visible ASCII and spaces. */
  private static String printable(String s) {
    return s.replaceAll("[^\\x20-\\x7e]", "");
  }
}
