package com.example.gsping.imagetool.tarball;

import com.example.gsping.imagetool.image.Descriptor;
import com.example.gsping.imagetool.image.Digests;
import com.example.gsping.imagetool.image.ImageFormatException;
import com.example.gsping.imagetool.image.Json;
import com.example.gsping.imagetool.image.TargetPlatform;
import com.example.gsping.imagetool.layer.LayerCompression;
import com.example.gsping.imagetool.store.OciImageStore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.SortedMap;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * {@code import}: an image of one layer from a root filesystem tarball, as {@code docker image
 * import} makes it. The tar is the layer byte for byte (gzipped in the store as {@code load} gzips
 * a plain layer). The config is written as umoci and containerd write it (Go's json.Encoder): the
 * fields in the order of the OCI image spec's Go types, the labels sorted, a newline at the end;
 * so the same tarball and settings give the same image ID on any machine.
 */
public final class RootfsImport {
  private RootfsImport() {}

  /** What the config says besides the layer; empty lists and maps are left out. */
  public record Settings(TargetPlatform platform, Instant created, String user, List<String> env, List<String> cmd,
      String workingDir, SortedMap<String, String> labels, String createdBy, String comment) {}

  public static LoadedImage load(OciImageStore store, Path tarball, String name, Settings settings) throws IOException {
    if (!Files.isRegularFile(tarball)) {
      throw new ImageFormatException("cannot import " + tarball + ": no such file");
    }
    try (InputStream in = LayerCompression.openUncompressed(Files.newInputStream(tarball), tarball.toString())) {
      if (new TarArchiveInputStream(in).getNextEntry() == null) {
        throw new ImageFormatException("cannot import " + tarball + ": it holds no files");
      }
    } catch (IOException e) {
      throw new ImageFormatException("cannot import " + tarball + ": not a tar archive (" + e.getMessage() + ")");
    }
    return store.write(s -> {
      LayerImporter.ImportedLayer layer;
      try (InputStream in = Files.newInputStream(tarball)) {
        layer = LayerImporter.importLayer(s, in, tarball.toString());
      }
      byte[] config = (new String(Json.write(config(settings, layer.diffId())), StandardCharsets.UTF_8) + "\n")
          .getBytes(StandardCharsets.UTF_8);
      Descriptor manifest = DockerArchiveImport.putImage(s, config, List.of(layer.blob()));
      s.writeIndex(s.index().withName(name, manifest));
      return new LoadedImage(List.of(name), Digests.sha256(config));
    });
  }

  static Config config(Settings s, String diffId) {
    String created = s.created().truncatedTo(ChronoUnit.SECONDS).toString();
    return new Config(created, s.platform().architecture(), s.platform().variant(), s.platform().os(),
        new RunConfig(s.user(), orNull(s.env()), orNull(s.cmd()), s.workingDir(), s.labels().isEmpty() ? null : s.labels()),
        new RootFs("layers", List.of(diffId)), List.of(new History(created, s.createdBy(), s.comment())));
  }

  private static List<String> orNull(List<String> list) {
    return list.isEmpty() ? null : list;
  }

  @JsonPropertyOrder({"created", "architecture", "variant", "os", "config", "rootfs", "history"})
  record Config(String created, String architecture, String variant, String os, RunConfig config, RootFs rootfs,
      List<History> history) {}

  @JsonPropertyOrder({"User", "Env", "Cmd", "WorkingDir", "Labels"})
  record RunConfig(@JsonProperty("User") String user, @JsonProperty("Env") List<String> env, @JsonProperty("Cmd") List<String> cmd,
      @JsonProperty("WorkingDir") String workingDir, @JsonProperty("Labels") SortedMap<String, String> labels) {}

  @JsonPropertyOrder({"type", "diff_ids"})
  record RootFs(String type, @JsonProperty("diff_ids") List<String> diffIds) {}

  @JsonPropertyOrder({"created", "created_by", "comment"})
  record History(String created, @JsonProperty("created_by") String createdBy, String comment) {}
}
