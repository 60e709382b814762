package com.example.gsping.imagetool.store;

import com.example.gsping.imagetool.image.Digests;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Deletes the blobs no index.json entry reaches: what an untag released, and what interrupted
 * commands left. It deletes nothing while an entry is damaged, since the blobs that entry needs
 * are then unknown: they stay until the image is loaded again or untagged.
 */
final class UnreferencedBlobSweeper {
  private UnreferencedBlobSweeper() {}

  /** The digests deleted, or the damaged entry that kept the sweep from deleting anything. */
  record Result(Set<String> deleted, Optional<StoreClosure> blockedBy) {}

  static Result sweep(OciImageStore store, IndexDocument index) throws IOException {
    Set<String> reachable = new HashSet<>();
    for (StoreClosure c : StoreClosure.of(store, index)) {
      if (c.damage() != null) {
        return new Result(Set.of(), Optional.of(c));
      }
      reachable.addAll(c.all());
    }
    Set<String> deleted = new HashSet<>();
    for (String digest : blobs(store)) {
      if (!reachable.contains(digest)) {
        store.deleteBlob(digest);
        deleted.add(digest);
      }
    }
    return new Result(deleted, Optional.empty());
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
