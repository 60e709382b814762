package com.example.gsping.imagetool.store;

import com.example.gsping.imagetool.ImageToolException;
import com.example.gsping.imagetool.image.Descriptor;
import com.example.gsping.imagetool.image.ManifestDocument;
import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The blobs one index.json entry needs: its manifests (an index's too) and its configs and layers,
 * top layer first (the order Docker lists them as "Deleted:"). An entry whose manifests cannot all
 * be read is {@link #damage damaged}: what it needs beyond them is then unknown.
 */
record StoreClosure(Descriptor entry, Set<String> manifests, Set<String> configsAndLayers, String damage) {
  private static final int MAX_INDEX_DEPTH = 4;

  static StoreClosure of(OciImageStore store, Descriptor entry) throws IOException {
    StoreClosure c = new StoreClosure(entry, new LinkedHashSet<>(), new LinkedHashSet<>(), null);
    try {
      c.collect(store, entry.digest(), entry.mediaType(), 0);
      return c;
    } catch (ImageToolException e) {
      return new StoreClosure(entry, c.manifests, c.configsAndLayers, e.getMessage());
    }
  }

  static List<StoreClosure> of(OciImageStore store, IndexDocument index) throws IOException {
    List<StoreClosure> out = new java.util.ArrayList<>();
    for (Descriptor entry : index.manifestsOrEmpty()) {
      out.add(of(store, entry));
    }
    return out;
  }

  private void collect(OciImageStore store, String digest, String mediaType, int depth) throws IOException {
    if (depth > MAX_INDEX_DEPTH) {
      throw new ImageToolException("image indexes nested too deeply");
    }
    ManifestDocument doc = store.readManifest(digest, mediaType).document();
    manifests.add(digest);
    if (doc.isIndex()) {
      for (Descriptor child : doc.manifests()) {
        collect(store, child.digest(), child.mediaType(), depth + 1);
      }
      return;
    }
    configsAndLayers.add(doc.config().digest());
    List<Descriptor> layers = doc.layersOrEmpty();
    for (int i = layers.size() - 1; i >= 0; i--) {
      configsAndLayers.add(layers.get(i).digest());
    }
  }

  Set<String> all() {
    Set<String> all = new LinkedHashSet<>(manifests);
    all.addAll(configsAndLayers);
    return all;
  }

  /** The entry's name; a dangling one by its digest (a damage message names the digests). */
  String label() {
    String name = IndexDocument.nameOf(entry);
    return name != null ? name : "<none>@" + entry.digest();
  }
}
