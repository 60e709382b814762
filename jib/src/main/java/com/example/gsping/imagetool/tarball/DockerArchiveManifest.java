package com.example.gsping.imagetool.tarball;

import com.example.gsping.imagetool.image.ImageFormatException;
import com.example.gsping.imagetool.image.Json;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.util.List;

/** One entry of the manifest.json that {@code docker save} and Jib's {@code jib:buildTar} write. */
record DockerArchiveManifest(
    @JsonProperty("Config") String config,
    @JsonProperty("RepoTags") List<String> repoTags,
    @JsonProperty("Layers") List<String> layers) {

  static List<DockerArchiveManifest> parse(byte[] json, String what) {
    List<DockerArchiveManifest> entries;
    try {
      entries = Json.MAPPER.readValue(json, new TypeReference<List<DockerArchiveManifest>>() {});
    } catch (IOException e) {
      throw new ImageFormatException(what + " has an unreadable manifest.json: " + Json.firstLine(e));
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
