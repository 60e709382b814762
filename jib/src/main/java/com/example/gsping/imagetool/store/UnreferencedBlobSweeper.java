package com.example.gsping.imagetool.store;

import com.example.gsping.imagetool.image.Descriptor;
import com.example.gsping.imagetool.image.Digests;
import com.example.gsping.imagetool.image.ManifestDocument;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Deletes the blobs no index entry reaches any more, after index.json has been rewritten (so a
 * crash in between only leaves unreferenced blobs, swept next time). Reports, as Docker does,
 * the removed images' IDs (configs) and layers, top layer first.
 */
final class UnreferencedBlobSweeper {
  private UnreferencedBlobSweeper() {}

  static List<String> sweep(OciImageStore store, List<Descriptor> removedEntries) throws IOException {
    Set<String> reachable = new HashSet<>();
    for (Descriptor entry : store.index().manifestsOrEmpty()) {
      collect(store, entry.digest(), new LinkedHashMap<>(), reachable);
    }
    Map<String, Boolean> candidates = new LinkedHashMap<>(); // digest -> report as "Deleted"
    for (Descriptor entry : removedEntries) {
      collect(store, entry.digest(), candidates, new HashSet<>());
    }
    List<String> deleted = new ArrayList<>();
    for (Map.Entry<String, Boolean> c : candidates.entrySet()) {
      if (!reachable.contains(c.getKey()) && store.hasBlob(c.getKey())) {
        store.deleteBlob(c.getKey());
        if (c.getValue()) {
          deleted.add(c.getKey());
        }
      }
    }
    // Blobs left behind by an interrupted command (nothing references them).
    try (DirectoryStream<Path> blobs = Files.newDirectoryStream(store.blobsDir())) {
      for (Path blob : blobs) {
        String digest = "sha256:" + blob.getFileName();
        if (Digests.isSha256(digest) && !reachable.contains(digest)) {
          Files.deleteIfExists(blob);
        }
      }
    }
    return deleted;
  }

  /** Adds the blobs under a manifest or index: config, then layers top first, then the manifest. */
  private static void collect(OciImageStore store, String manifestDigest, Map<String, Boolean> ordered, Set<String> all)
      throws IOException {
    if (!all.add(manifestDigest) || !store.hasBlob(manifestDigest)) {
      return;
    }
    ManifestDocument doc = ManifestDocument.parse(store.readBlob(manifestDigest), "manifest " + manifestDigest);
    if (doc.isIndex()) {
      for (Descriptor child : doc.manifests()) {
        collect(store, child.digest(), ordered, all);
      }
    } else {
      all.add(doc.config().digest());
      ordered.putIfAbsent(doc.config().digest(), true);
      List<Descriptor> layers = doc.layersOrEmpty();
      for (int i = layers.size() - 1; i >= 0; i--) {
        all.add(layers.get(i).digest());
        ordered.putIfAbsent(layers.get(i).digest(), true);
      }
    }
    ordered.putIfAbsent(manifestDigest, false);
  }
}
