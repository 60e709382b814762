package com.example.gsping.imagetool.store;

import com.example.gsping.imagetool.ImageToolException;
import com.example.gsping.imagetool.image.Digests;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Deletes the blobs no image needs: what an untag released, and what interrupted commands left.
 * An image is an index.json entry, or an intact manifest (or index) blob no entry reaches: an
 * untagged image, kept as Docker keeps dangling ones, so an index.json that lost entries loses
 * names, never images. It deletes nothing while an entry is damaged, since the blobs that entry
 * needs are then unknown: they stay until the image is loaded again or untagged.
 */
final class UnreferencedBlobSweeper {
  /** Manifests are small; a larger blob is a layer, not read when looking for untagged images. */
  private static final long MAX_MANIFEST_SIZE = 4 * 1024 * 1024;

  private UnreferencedBlobSweeper() {}

  /** The digests deleted, or the damaged entry that kept the sweep from deleting anything. */
  record Result(Set<String> deleted, Optional<StoreClosure> blockedBy) {}

  static Result sweep(OciImageStore store, IndexDocument index) throws IOException {
    List<StoreClosure> indexed = StoreClosure.of(store, index);
    Optional<StoreClosure> damaged = indexed.stream().filter(c -> c.damage() != null).findFirst();
    if (damaged.isPresent()) {
      return new Result(Set.of(), damaged);
    }
    Set<String> reachable = new HashSet<>();
    for (StoreClosure c : indexed) {
      reachable.addAll(c.all());
    }
    for (StoreClosure c : untaggedImages(store, indexed)) {
      reachable.addAll(c.all());
    }
    Set<String> deleted = new HashSet<>();
    for (String digest : blobs(store)) {
      if (!reachable.contains(digest)) {
        store.deleteBlob(digest);
        deleted.add(digest);
      }
    }
    store.forgetReleased();
    return new Result(deleted, Optional.empty());
  }

  /**
   * The intact manifest and index blobs that no {@code indexed} entry reaches and untag did not
   * release, but for an untagged index's children (part of its image). None while an entry is
   * damaged: what it reaches, maybe these, is then unknown.
   */
  static List<StoreClosure> untaggedImages(OciImageStore store, List<StoreClosure> indexed) throws IOException {
    if (indexed.stream().anyMatch(c -> c.damage() != null)) {
      return List.of();
    }
    Set<String> reachable = new HashSet<>(store.released());
    indexed.forEach(c -> reachable.addAll(c.all()));
    List<StoreClosure> untagged = new ArrayList<>();
    for (String digest : blobs(store)) {
      if (reachable.contains(digest) || Files.size(store.blobPath(digest)) > MAX_MANIFEST_SIZE) {
        continue;
      }
      try {
        untagged.add(StoreClosure.of(store, store.readManifest(digest, null).descriptor()));
      } catch (ImageToolException e) {
        // not a manifest (a config, a small layer), or damaged: verify reports a damaged one
      }
    }
    Set<String> children = new HashSet<>();
    untagged.forEach(c -> c.manifests().stream().skip(1).forEach(children::add));
    return untagged.stream().filter(c -> !children.contains(c.entry().digest())).toList();
  }

  /** The digests of the blob files in the store. */
  static Set<String> blobs(OciImageStore store) throws IOException {
    Set<String> out = new java.util.TreeSet<>();
    if (!Files.isDirectory(store.blobsDir())) {
      return out;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(store.blobsDir())) {
      for (Path file : files) {
        String digest = "sha256:" + file.getFileName();
        if (Digests.isSha256(digest)) {
          out.add(digest);
        }
      }
    }
    return out;
  }
}
