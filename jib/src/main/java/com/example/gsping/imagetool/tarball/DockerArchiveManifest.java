package com.example.gsping.imagetool.tarball;

import com.example.gsping.imagetool.image.ImageFormatException;
import com.example.gsping.imagetool.image.StreamingJson;
import com.example.gsping.imagetool.image.StreamingJson.Field;
import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;
import java.util.List;

/** One entry of the manifest.json that {@code docker save} and Jib's {@code jib:buildTar} write. */
record DockerArchiveManifest(String config, List<String> repoTags, List<String> layers) {
  private static final Field<String> CONFIG = new Field<>("Config", StreamingJson::string);
  private static final Field<List<String>> REPO_TAGS = new Field<>("RepoTags", StreamingJson.listOf(StreamingJson::string));
  private static final Field<List<String>> LAYERS = new Field<>("Layers", StreamingJson.listOf(StreamingJson::string));
  private static final List<Field<?>> FIELDS = List.of(CONFIG, REPO_TAGS, LAYERS);

  private static DockerArchiveManifest read(JsonParser p) throws IOException {
    StreamingJson.Fields f = StreamingJson.object(p, FIELDS);
    return f == null ? null : new DockerArchiveManifest(f.get(CONFIG), f.get(REPO_TAGS), f.get(LAYERS));
  }

  static List<DockerArchiveManifest> parse(byte[] json, String what) {
    List<DockerArchiveManifest> entries;
    try {
      entries = StreamingJson.read(json, StreamingJson.listOf(DockerArchiveManifest::read));
    } catch (IOException e) {
      throw new ImageFormatException(what + " has an unreadable manifest.json: " + StreamingJson.firstLine(e));
    }
    if (entries == null || entries.isEmpty()) {
      throw new ImageFormatException(what + " has an empty manifest.json");
    }
    for (DockerArchiveManifest m : entries) {
      if (m == null || m.config == null || m.layers == null || m.layers.contains(null)
          || (m.repoTags != null && m.repoTags.contains(null))) {
        throw new ImageFormatException(what + ": manifest.json has an entry without Config or Layers, or with a null in them");
      }
    }
    return entries;
  }

  List<String> repoTagsOrEmpty() {
    return repoTags == null ? List.of() : repoTags;
  }
}
