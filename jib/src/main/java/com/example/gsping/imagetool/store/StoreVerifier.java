package com.example.gsping.imagetool.store;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code verify}: reads every blob and checks it against its digest, follows every index.json
 * entry through its manifests to its configs and layers, and finds what nothing refers to.
 * {@link #prune} removes what cannot be repaired here: damaged blobs (loading the image's
 * tarball again restores them), unreferenced blobs and leftover temp files. It keeps every
 * intact manifest and what it refers to: one that index.json lost the entry of is an untagged
 * image, reported as such; loading its tarball again names it.
 */
public final class StoreVerifier {
  private StoreVerifier() {}

  /** One line per problem; the counts of what was checked. */
  public record Report(List<String> problems, int blobs, int names) {}

  public static Report check(OciImageStore store) throws IOException {
    return store.read(StoreVerifier::inspect);
  }

  /**
   * Removes the damaged blobs (checked again under the exclusive lock); the write's own sweep
   * removes unreferenced blobs and temp files ({@link OciImageStore#write}). Returns what is
   * wrong after that.
   */
  public static Report prune(OciImageStore store) throws IOException {
    store.write(s -> {
      for (String digest : damagedBlobs(s).keySet()) {
        s.deleteBlob(digest);
      }
      return null;
    });
    return check(store);
  }

  private static Report inspect(OciImageStore store) throws IOException {
    List<String> problems = new ArrayList<>();
    Map<String, String> damaged = damagedBlobs(store);
    damaged.forEach((digest, actual) -> problems.add("blob " + digest + " is damaged (content " + actual + ")"));
    Set<String> blobs = UnreferencedBlobSweeper.blobs(store);
    Set<String> reachable = new HashSet<>();
    boolean allReadable = true;
    List<StoreClosure> closures = StoreClosure.of(store, store.index());
    for (StoreClosure c : closures) {
      reachable.addAll(c.all());
      allReadable &= c.damage() == null;
      String problem = c.damage() != null ? c.damage() : firstBadBlob(c, blobs, damaged);
      if (problem != null) {
        problems.add(c.label() + ": " + problem);
      }
    }
    for (StoreClosure c : UnreferencedBlobSweeper.untaggedImages(store, closures)) {
      reachable.addAll(c.all());
      problems.add(c.label() + ": untagged: not in index.json");
    }
    if (allReadable) { // else what the damaged images need is unknown: nothing can be called unreferenced
      for (String digest : blobs) {
        if (!reachable.contains(digest)) {
          problems.add("blob " + digest + " is unreferenced (" + Files.size(store.blobPath(digest)) + " bytes)");
        }
      }
    }
    for (Path tmp : tempFiles(store)) {
      problems.add("temp file " + store.root().relativize(tmp) + " is left over");
    }
    return new Report(problems, blobs.size(), closures.size());
  }

  private static String firstBadBlob(StoreClosure c, Set<String> blobs, Map<String, String> damaged) {
    for (String digest : c.configsAndLayers()) {
      if (!blobs.contains(digest)) {
        return "blob " + digest + " is missing";
      }
      if (damaged.containsKey(digest)) {
        return "blob " + digest + " is damaged";
      }
    }
    return null;
  }

  /** Damaged blob digest to its content's digest. */
  private static Map<String, String> damagedBlobs(OciImageStore store) throws IOException {
    Map<String, String> damaged = new TreeMap<>();
    for (String digest : UnreferencedBlobSweeper.blobs(store)) {
      String actual = OciImageStore.contentDigest(store.blobPath(digest));
      if (!actual.equals(digest)) {
        damaged.put(digest, actual);
      }
    }
    return damaged;
  }

  private static List<Path> tempFiles(OciImageStore store) throws IOException {
    List<Path> out = new ArrayList<>();
    if (Files.isDirectory(store.tmpDir())) {
      try (DirectoryStream<Path> files = Files.newDirectoryStream(store.tmpDir())) {
        files.forEach(out::add);
      }
    }
    return out;
  }
}
