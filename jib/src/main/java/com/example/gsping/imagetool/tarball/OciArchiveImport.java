package com.example.gsping.imagetool.tarball;

import com.example.gsping.imagetool.image.Descriptor;
import com.example.gsping.imagetool.image.Digests;
import com.example.gsping.imagetool.image.ImageFormatException;
import com.example.gsping.imagetool.image.StreamingJson;
import com.example.gsping.imagetool.image.ManifestDocument;
import com.example.gsping.imagetool.image.MediaTypes;
import com.example.gsping.imagetool.store.IndexDocument;
import com.example.gsping.imagetool.store.OciImageStore;
import com.example.gsping.imagetool.store.StagedBlob;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Loads an OCI image layout tarball (index.json + blobs/sha256/), as written by
 * {@code skopeo copy ... oci-archive:}, {@code jib:buildTar} in OCI mode or BuildKit. Blobs are
 * copied as they are (each checked against its digest); names come from the index's
 * {@code io.containerd.image.name} or a full {@code org.opencontainers.image.ref.name}.
 */
final class OciArchiveImport {
  private static final int MAX_JSON = 16 * 1024 * 1024;
  private static final String CONTAINERD_NAME = "io.containerd.image.name";

  private OciArchiveImport() {}

  static List<LoadedImage> load(OciImageStore store, TarballEntries tar, Path file) throws IOException {
    IndexDocument archiveIndex = StreamingJson.parse(tar.read("index.json", MAX_JSON), IndexDocument::read, file + ": index.json");
    for (Descriptor d : archiveIndex.manifestsOrEmpty()) {
      if (d == null || !Digests.isSha256(d.digest()) || d.size() < 0) {
        throw new ImageFormatException(file + ": index.json has an invalid manifest descriptor");
      }
    }
    // Manifests and indexes, level by level; then configs; then layers.
    Set<String> small = new LinkedHashSet<>();
    Set<String> layers = new LinkedHashSet<>();
    Map<String, String> configOf = new java.util.HashMap<>(); // manifest digest -> config digest
    List<Descriptor> level = archiveIndex.manifestsOrEmpty();
    for (int depth = 0; !level.isEmpty(); depth++) {
      if (depth > 4) {
        throw new ImageFormatException(file + ": image indexes nested too deeply");
      }
      Map<String, byte[]> docs = tar.readAll(level.stream().map(d -> path(d.digest())).toList(), MAX_JSON);
      List<Descriptor> next = new ArrayList<>();
      for (Descriptor d : level) {
        byte[] bytes = docs.get(path(d.digest()));
        store(store, bytes, d.digest(), file);
        small.add(d.digest());
        ManifestDocument doc = ManifestDocument.parse(bytes, file + ": " + d.digest());
        if (doc.isIndex()) {
          next.addAll(doc.manifests());
        } else {
          configOf.put(d.digest(), doc.config().digest());
          small.add(doc.config().digest());
          Map<String, byte[]> config = tar.readAll(List.of(path(doc.config().digest())), MAX_JSON);
          store(store, config.get(path(doc.config().digest())), doc.config().digest(), file);
          doc.layersOrEmpty().forEach(l -> layers.add(l.digest()));
        }
      }
      level = next;
    }
    Set<String> layerPaths = new LinkedHashSet<>();
    for (String digest : layers) {
      if (!store.hasIntactBlob(digest)) { // a damaged copy in the store is rewritten from the tarball
        tar.requirePresent(path(digest));
        layerPaths.add(path(digest));
      }
    }
    tar.forEach(layerPaths, (name, size, in) -> {
      try (StagedBlob blob = store.stageBlob()) {
        in.transferTo(blob.output());
        blob.commit("sha256:" + name.substring("blobs/sha256/".length()));
      } catch (ImageFormatException e) {
        throw new ImageFormatException(file + " is corrupt: " + name + ": " + e.getMessage());
      }
    });

    IndexDocument index = store.index();
    List<LoadedImage> loaded = new ArrayList<>();
    for (Descriptor d : archiveIndex.manifestsOrEmpty()) {
      String name = nameOf(d);
      Descriptor entry = new Descriptor(d.mediaType() != null ? d.mediaType() : MediaTypes.OCI_MANIFEST, d.size(), d.digest(), null, d.platform());
      if (name != null) {
        index = index.withName(name, entry);
      } else if (index.manifestsOrEmpty().stream().noneMatch(e -> e.digest().equals(d.digest()))) {
        index = new IndexDocument(2, MediaTypes.OCI_INDEX, DockerArchiveImport.append(index.manifestsOrEmpty(), entry));
      }
      loaded.add(new LoadedImage(name == null ? List.of() : List.of(name), configOf.getOrDefault(d.digest(), d.digest())));
    }
    store.writeIndex(index);
    return loaded;
  }

  private static String nameOf(Descriptor d) {
    String full = d.annotation(CONTAINERD_NAME);
    if (full == null) {
      String ref = d.annotation(Descriptor.REF_NAME);
      // A bare tag ("latest") names no repository; only a full reference is usable.
      if (ref != null && (ref.contains(":") || ref.contains("/"))) {
        full = ref;
      }
    }
    return full == null ? null : ImageNames.familiar(full);
  }

  private static void store(OciImageStore store, byte[] bytes, String digest, Path file) throws IOException {
    if (!Digests.isSha256(digest)) {
      throw new ImageFormatException(file + ": unsupported digest " + digest);
    }
    String actual = Digests.sha256(bytes);
    if (!actual.equals(digest)) {
      throw new ImageFormatException(file + " is corrupt: blob " + digest + " has content digest " + actual);
    }
    store.putBlob(bytes);
  }

  private static String path(String digest) {
    return "blobs/sha256/" + Digests.hex(digest);
  }
}
