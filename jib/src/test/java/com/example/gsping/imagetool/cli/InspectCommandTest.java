package com.example.gsping.imagetool.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.example.gsping.imagetool.fixtures.CliRun;
import com.example.gsping.imagetool.fixtures.LayerTar;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code inspect}: docker image inspect's names and templates, so scripts read a config without a JSON parser. */
class InspectCommandTest {
  @TempDir Path dir;
  private Path store;
  private String id;

  @BeforeEach
  void anImageWithAnEnvironmentACommandAndLabels() throws Exception {
    store = dir.resolve("store");
    Path tar = Files.write(dir.resolve("rootfs.tar"), new LayerTar().file("a", "a").build());
    id = CliRun.runWithEnv(Map.of("SOURCE_DATE_EPOCH", "1735689600"), store, "import", "--platform", "linux/arm64",
        "--env", "PATH=/opt/java/bin", "--env", "LANG=C.UTF-8", "--cmd", "java", "--cmd", "-version",
        "--label", "org.opencontainers.image.version=25.0.1", "--label", "a=b", tar.toString(), "app:1").out().strip();
  }

  @Test
  void withoutATemplateItPrintsDockersJsonArray() throws Exception {
    JsonNode details = new ObjectMapper().readTree(CliRun.ok(store, "inspect", "app:1")).get(0);
    assertEquals(id, details.get("Id").asText());
    assertEquals("2025-01-01T00:00:00Z", details.get("Created").asText());
    assertEquals("arm64", details.get("Architecture").asText());
    assertEquals("linux", details.get("Os").asText());
    assertEquals("[\"java\",\"-version\"]", details.at("/Config/Cmd").toString());
    assertEquals("layers", details.at("/RootFS/Type").asText());
  }

  @Test
  void templatesPrintFieldsListsMapsJoinedIndexedAndJsonAsDockerDoes() {
    assertEquals("PATH=/opt/java/bin\nLANG=C.UTF-8\n", inspect("{{join .Config.Env \"\\n\"}}"));
    assertEquals("25.0.1\n", inspect("{{index .Config.Labels \"org.opencontainers.image.version\"}}"));
    assertEquals("\n", inspect("{{index .Config.Labels \"missing\"}}"));
    assertEquals("[java -version] map[a:b org.opencontainers.image.version:25.0.1]\n", inspect("{{.Config.Cmd}} {{.Config.Labels}}"));
    assertEquals("{\"a\":\"b\",\"org.opencontainers.image.version\":\"25.0.1\"}\n", inspect("{{json .Config.Labels}}"));
    assertEquals("linux/arm64 " + id + " <no value>\n", inspect("{{.Os}}/{{.Architecture}} {{ .Id }} {{.Config.Entrypoint}}"));
  }

  private String inspect(String template) {
    return CliRun.ok(store, "inspect", "--format", template, "app:1");
  }
}
