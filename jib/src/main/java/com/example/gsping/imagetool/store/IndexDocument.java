package com.example.gsping.imagetool.store;

import com.example.gsping.imagetool.image.Descriptor;
import com.example.gsping.imagetool.image.MediaTypes;
import com.example.gsping.imagetool.image.StreamingJson;
import com.example.gsping.imagetool.image.StreamingJson.Field;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The store's index.json: one entry per name, the full {@code REPOSITORY:TAG} in the
 * {@code org.opencontainers.image.ref.name} annotation; an entry without one is a dangling
 * image (Docker's {@code <none>:<none>}).
 */
@JsonPropertyOrder({"schemaVersion", "mediaType", "manifests"})
public record IndexDocument(int schemaVersion, String mediaType, List<Descriptor> manifests) {
  private static final Field<Integer> SCHEMA_VERSION = new Field<>("schemaVersion", StreamingJson::intNumber);
  private static final Field<String> MEDIA_TYPE = new Field<>("mediaType", StreamingJson::string);
  private static final Field<List<Descriptor>> MANIFESTS = new Field<>("manifests", StreamingJson.listOf(Descriptor::read));
  private static final List<Field<?>> FIELDS = List.of(SCHEMA_VERSION, MEDIA_TYPE, MANIFESTS);

  /** The index at the parser's current token; null for a JSON null. */
  public static IndexDocument read(JsonParser p) throws IOException {
    StreamingJson.Fields f = StreamingJson.object(p, FIELDS);
    return f == null ? null : new IndexDocument(f.getInt(SCHEMA_VERSION), f.get(MEDIA_TYPE), f.get(MANIFESTS));
  }

  public static IndexDocument empty() {
    return new IndexDocument(2, MediaTypes.OCI_INDEX, List.of());
  }

  public List<Descriptor> manifestsOrEmpty() {
    return manifests == null ? List.of() : manifests;
  }

  public static String nameOf(Descriptor entry) {
    return entry.annotation(Descriptor.REF_NAME);
  }

  public Optional<Descriptor> find(String name) {
    return manifestsOrEmpty().stream().filter(d -> name.equals(nameOf(d))).findFirst();
  }

  public List<String> namesOf(String manifestDigest) {
    return manifestsOrEmpty().stream()
        .filter(d -> d.digest().equals(manifestDigest) && nameOf(d) != null)
        .map(IndexDocument::nameOf)
        .toList();
  }

  /**
   * Points {@code name} at {@code manifest}. An image that loses its last name this way stays
   * in the store as a dangling entry, as Docker keeps a re-tagged image as {@code <none>}.
   */
  public IndexDocument withName(String name, Descriptor manifest) {
    Descriptor named = new Descriptor(manifest.mediaType(), manifest.size(), manifest.digest(),
        Map.of(Descriptor.REF_NAME, name), manifest.platform());
    List<Descriptor> out = new ArrayList<>();
    Descriptor previous = null;
    for (Descriptor d : manifestsOrEmpty()) {
      if (name.equals(nameOf(d))) {
        previous = d;
        out.add(named); // same position: re-loading an image leaves index.json as it was
      } else if (nameOf(d) == null && d.digest().equals(manifest.digest())) {
        continue; // a dangling copy of the image being named: now it has a name
      } else {
        out.add(d);
      }
    }
    if (previous == null) {
      out.add(named);
    } else if (!previous.digest().equals(manifest.digest())) {
      String digest = previous.digest();
      boolean stillReachable = out.stream().anyMatch(d -> d.digest().equals(digest));
      if (!stillReachable) {
        out.add(new Descriptor(previous.mediaType(), previous.size(), digest, null, previous.platform()));
      }
    }
    return new IndexDocument(2, MediaTypes.OCI_INDEX, List.copyOf(out));
  }

  public IndexDocument without(Descriptor entry) {
    List<Descriptor> out = new ArrayList<>(manifestsOrEmpty());
    out.remove(entry);
    return new IndexDocument(2, MediaTypes.OCI_INDEX, List.copyOf(out));
  }
}
