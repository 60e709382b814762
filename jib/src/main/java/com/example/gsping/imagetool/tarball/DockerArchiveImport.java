package com.example.gsping.imagetool.tarball;

import com.example.gsping.imagetool.image.Descriptor;
import com.example.gsping.imagetool.image.Digests;
import com.example.gsping.imagetool.image.ImageConfig;
import com.example.gsping.imagetool.image.ImageFormatException;
import com.example.gsping.imagetool.image.Json;
import com.example.gsping.imagetool.image.ManifestDocument;
import com.example.gsping.imagetool.image.MediaTypes;
import com.example.gsping.imagetool.store.IndexDocument;
import com.example.gsping.imagetool.store.OciImageStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Loads a Docker-format tarball: Jib's {@code jib:buildTar} output (config.json, gzipped layers)
 * or {@code docker save} (plain layer.tar files). The archive has no registry manifest, so one
 * is written: an OCI image manifest with gzip layers (tools such as skopeo only see OCI media
 * types in an OCI layout). The config is kept byte for byte, so the image ID is Docker's.
 */
final class DockerArchiveImport {
  private static final int MAX_JSON = 16 * 1024 * 1024;

  private DockerArchiveImport() {}

  static List<LoadedImage> load(OciImageStore store, TarballEntries tar, Path file) throws IOException {
    List<DockerArchiveManifest> entries = DockerArchiveManifest.parse(tar.read("manifest.json", MAX_JSON), file.toString());
    Set<String> configPaths = new LinkedHashSet<>();
    Set<String> layerPaths = new LinkedHashSet<>();
    for (DockerArchiveManifest e : entries) {
      configPaths.add(TarballEntries.normalize(e.config()));
      e.layers().forEach(l -> layerPaths.add(TarballEntries.normalize(l)));
    }
    layerPaths.forEach(tar::requirePresent);
    Map<String, byte[]> configs = tar.readAll(configPaths, MAX_JSON);

    Map<String, LayerImporter.ImportedLayer> layers = new HashMap<>();
    tar.forEach(layerPaths, (name, size, in) ->
        layers.put(name, LayerImporter.importLayer(store, in, file + ": layer " + name)));

    List<LoadedImage> loaded = new ArrayList<>();
    IndexDocument index = store.index();
    for (DockerArchiveManifest e : entries) {
      byte[] configBytes = configs.get(TarballEntries.normalize(e.config()));
      ImageConfig config = ImageConfig.parse(configBytes, file + ": " + e.config());
      if (config.diffIds().size() != e.layers().size()) {
        throw new ImageFormatException(file + " is corrupt: " + e.config() + " lists " + config.diffIds().size()
            + " layers, manifest.json " + e.layers().size());
      }
      List<Descriptor> layerDescriptors = new ArrayList<>();
      for (int i = 0; i < e.layers().size(); i++) {
        LayerImporter.ImportedLayer layer = layers.get(TarballEntries.normalize(e.layers().get(i)));
        if (!layer.diffId().equals(config.diffIds().get(i))) {
          throw new ImageFormatException(file + " is corrupt: layer " + e.layers().get(i) + " has content digest "
              + layer.diffId() + " but the image config expects " + config.diffIds().get(i));
        }
        layerDescriptors.add(layer.blob());
      }
      Descriptor manifest = putImage(store, configBytes, layerDescriptors);
      String manifestDigest = manifest.digest();

      List<String> names = new ArrayList<>();
      for (String tag : e.repoTagsOrEmpty()) {
        String name = ImageNames.familiar(tag);
        if (name == null) {
          throw new ImageFormatException(file + ": manifest.json has an invalid RepoTag '" + tag + "'");
        }
        names.add(name);
        index = index.withName(name, manifest);
      }
      if (names.isEmpty() && index.manifestsOrEmpty().stream().noneMatch(d -> d.digest().equals(manifestDigest))) {
        index = new IndexDocument(2, MediaTypes.OCI_INDEX, append(index.manifestsOrEmpty(), manifest));
      }
      loaded.add(new LoadedImage(names, Digests.sha256(configBytes)));
    }
    store.writeIndex(index);
    return loaded;
  }

  /** Stores a config and an OCI manifest of it and {@code layers} (already in the store); returns the manifest's descriptor. */
  static Descriptor putImage(OciImageStore store, byte[] configBytes, List<Descriptor> layers) throws IOException {
    Descriptor config = new Descriptor(MediaTypes.OCI_CONFIG, configBytes.length, store.putBlob(configBytes));
    byte[] manifest = Json.write(ManifestDocument.oci(config, layers));
    return new Descriptor(MediaTypes.OCI_MANIFEST, manifest.length, store.putBlob(manifest));
  }

  static List<Descriptor> append(List<Descriptor> list, Descriptor d) {
    List<Descriptor> out = new ArrayList<>(list);
    out.add(d);
    return List.copyOf(out);
  }
}
