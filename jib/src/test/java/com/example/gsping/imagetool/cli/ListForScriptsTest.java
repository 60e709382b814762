package com.example.gsping.imagetool.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.gsping.imagetool.fixtures.CliRun;
import com.example.gsping.imagetool.fixtures.LayerTar;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ls} as scripts use {@code docker image ls}: -q, --digests, --no-trunc, --filter reference=, --format TEMPLATE. */
class ListForScriptsTest {
  @TempDir Path dir;
  private Path store;
  private String amd64;
  private String arm64;
  private String index;

  @BeforeEach
  void anIndexOfTwoPlatformsAndAnotherImage() throws Exception {
    store = dir.resolve("store");
    amd64 = importImage("amd64", "base:linux-amd64");
    arm64 = importImage("arm64", "base:linux-arm64");
    importImage("amd64", "other/app:1");
    index = CliRun.ok(store, "index", "base:1", "base:linux-amd64", "base:linux-arm64").strip();
  }

  private String importImage(String arch, String name) throws Exception {
    Path tar = Files.write(dir.resolve(name.replaceAll("[/:]", "-") + ".tar"), new LayerTar().file("name", name).build());
    return CliRun.runWithEnv(java.util.Map.of("SOURCE_DATE_EPOCH", "1735689600"), store, "import", "--platform", "linux/" + arch,
        tar.toString(), name).out().strip();
  }

  @Test
  void quietPrintsTheImageIdsShortOrWhole() {
    assertEquals(List.of(index.substring(7, 19)), CliRun.ok(store, "ls", "-q", "base:1").lines().toList());
    assertEquals(List.of(index), CliRun.ok(store, "ls", "-q", "--no-trunc", "base:1").lines().toList());
  }

  @Test
  void filterReferenceMatchesRepositoryOrNameWithGlobsAndAnyOfSeveral() {
    assertEquals(List.of("base:1", "base:linux-amd64", "base:linux-arm64"), names("--filter", "reference=base"));
    assertEquals(List.of("base:linux-amd64", "base:linux-arm64"), names("--filter", "reference=base:linux-*"));
    assertEquals(List.of("other/app:1"), names("--filter", "reference=*/app"));
    assertEquals(List.of("base:1", "other/app:1"), names("--filter", "reference=base:1", "--filter", "reference=other/*:?"));
    CliRun label = CliRun.run(store, "ls", "--filter", "label=x");
    assertEquals(1, label.exitCode());
    assertEquals("imagetool: --filter label=x: only reference=PATTERN is supported\n", label.err());
  }

  @Test
  void formatTemplatePrintsTheIndexRowThenOneRowPerPlatformWithTheirDigestsAndMediaTypes() throws Exception {
    List<String> rows = CliRun.ok(store, "ls", "--no-trunc", "--format", "{{.Repository}}:{{.Tag}} {{.Platform}} {{.Digest}} {{.MediaType}} {{.ID}}",
        "base:1").lines().toList();
    String manifest = "application/vnd.oci.image.manifest.v1+json";
    assertEquals(List.of("base:1  " + index + " application/vnd.oci.image.index.v1+json " + index,
        "base:1 linux/amd64 " + ImportCommandTest.manifestOf(store, "base:linux-amd64") + " " + manifest + " " + amd64,
        "base:1 linux/arm64 " + ImportCommandTest.manifestOf(store, "base:linux-arm64") + " " + manifest + " " + arm64), rows);
    assertEquals(rows, CliRun.ok(store, "ls", "--no-trunc", "--format",
        "{{.Repository}}:{{.Tag}} {{.Platform}} {{.Digest}} {{.MediaType}} {{.ID}}", "base@" + index).lines().toList()
        .stream().map(r -> r.replace("base:<none>", "base:1")).toList(), "by digest: the same image");
  }

  @Test
  void digestsAddsTheDigestColumn() throws Exception {
    List<String> lines = CliRun.ok(store, "ls", "--digests", "base:1").lines().toList();
    assertTrue(lines.get(0).matches("REPOSITORY +TAG +DIGEST +IMAGE ID +CREATED +SIZE"), lines.get(0));
    assertTrue(lines.get(1).matches("base +1 +" + index + " +" + index.substring(7, 19) + " .*"), lines.get(1));
    String platform = ImportCommandTest.manifestOf(store, "base:linux-arm64");
    assertTrue(lines.get(3).matches(" +\u2514\u2500 linux/arm64 +" + platform + " +" + arm64.substring(7, 19) + " .*"), lines.get(3));
  }

  @Test
  void quietAndTemplatesWithoutSizeReadNoLayer() throws Exception {
    String manifest = ImportCommandTest.manifestOf(store, "other/app:1");
    String layer = new com.fasterxml.jackson.databind.ObjectMapper().readTree(ImportCommandTest.blob(store, manifest).toFile())
        .at("/layers/0/digest").asText();
    Files.delete(ImportCommandTest.blob(store, layer));
    java.nio.file.Path sizes = store.resolve(".imagetool/layer-sizes");
    try (var cached = Files.walk(sizes)) {
      cached.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
    assertEquals(List.of("1 " + manifest), CliRun.ok(store, "ls", "--format", "{{.Tag}} {{.Digest}}", "other/app").lines().toList());
    assertEquals(1, CliRun.ok(store, "ls", "-q", "other/app").lines().count());
    assertEquals(1, CliRun.run(store, "ls", "other/app").exitCode(), "the table's SIZE reads the layer, which is gone");
  }

  @Test
  void aTemplateItCannotReadIsOneLine() {
    CliRun r = CliRun.run(store, "ls", "--format", "{{.Tag | upper}}");
    assertEquals(1, r.exitCode());
    assertTrue(r.err().startsWith("imagetool: template: cannot read {{.Tag | upper}}: write {{.Field}}") && r.err().lines().count() == 1,
        r.err());
  }

  private List<String> names(String... options) {
    String[] args = new String[options.length + 3];
    args[0] = "ls";
    System.arraycopy(options, 0, args, 1, options.length);
    args[options.length + 1] = "--format";
    args[options.length + 2] = "{{.Repository}}:{{.Tag}}";
    return CliRun.ok(store, args).lines().distinct().sorted().toList();
  }
}
