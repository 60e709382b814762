package com.example.gsping.imagetool.store;

import com.example.gsping.imagetool.ImageToolException;
import com.example.gsping.imagetool.image.Descriptor;
import com.example.gsping.imagetool.image.Digests;
import com.example.gsping.imagetool.image.ImageNotFoundException;
import com.example.gsping.imagetool.image.ManifestDocument;
import com.example.gsping.imagetool.reference.ImageRef;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Naming images in the local store: {@code tag} adds a name, {@code untag} removes one. */
public final class LocalImageTags {
  private LocalImageTags() {}

  /** Gives the image {@code source} names the extra name {@code target}; no blob is copied. */
  public static void tag(OciImageStore store, ImageRef source, ImageRef target) throws IOException {
    store.write(s -> {
      IndexDocument index = s.index();
      Descriptor entry = find(s, index, source);
      s.writeIndex(index.withName(target.localName(), entry));
      return null;
    });
  }

  /** What {@code untag} did, in Docker's words. */
  public record UntagResult(List<String> untagged, List<String> deleted) {}

  /**
   * Removes one name. The image's data goes only when no name (and no dangling entry) is
   * left; {@code ref} may also be an image ID (prefix) of an image with at most one name.
   */
  public static UntagResult untag(OciImageStore store, String ref) throws IOException {
    return store.write(s -> {
      IndexDocument index = s.index();
      List<Descriptor> removed = new ArrayList<>();
      List<String> untagged = new ArrayList<>();
      ImageRef parsed = parseOrNull(ref);
      Descriptor named = parsed == null || parsed.digest() != null ? null : index.find(parsed.localName()).orElse(null);
      if (named != null) {
        removed.add(named);
        untagged.add(parsed.localName());
      } else {
        List<Descriptor> byId = findById(s, index, ref);
        if (byId.isEmpty()) {
          throw new ImageNotFoundException("No such image: " + (parsed != null && parsed.digest() == null ? parsed.localName() : ref));
        }
        List<String> names = byId.stream().map(IndexDocument::nameOf).filter(n -> n != null).toList();
        if (names.size() > 1) {
          throw new ImageToolException("conflict: unable to delete " + ref + " - image is referenced by " + names.size()
              + " names (" + String.join(", ", names) + "); untag them by name");
        }
        removed.addAll(byId);
        untagged.addAll(names);
      }
      IndexDocument next = index;
      for (Descriptor d : removed) {
        next = next.without(d);
      }
      s.writeIndex(next);
      List<String> deleted = UnreferencedBlobSweeper.sweep(s, removed);
      return new UntagResult(untagged, deleted);
    });
  }

  private static ImageRef parseOrNull(String ref) {
    try {
      ImageRef r = ImageRef.parse(ref);
      return r.inRegistry() ? null : r;
    } catch (ImageToolException e) {
      return null;
    }
  }

  private static Descriptor find(OciImageStore s, IndexDocument index, ImageRef ref) throws IOException {
    if (ref.digest() != null) {
      if (!s.hasBlob(ref.digest())) {
        throw new ImageNotFoundException("No such image: " + ref);
      }
      byte[] bytes = s.readBlob(ref.digest());
      ManifestDocument doc = ManifestDocument.parse(bytes, "manifest " + ref.digest());
      return new Descriptor(doc.mediaType(), bytes.length, ref.digest());
    }
    return index.find(ref.localName()).orElseThrow(() -> new ImageNotFoundException("No such image: " + ref.localName()));
  }

  /** Index entries whose image ID (config digest, or an index's digest) starts with {@code id} (hex, sha256: optional). */
  private static List<Descriptor> findById(OciImageStore s, IndexDocument index, String id) throws IOException {
    String hex = id.toLowerCase(Locale.ROOT).startsWith("sha256:") ? id.substring(7) : id;
    if (!hex.matches("[0-9a-f]{4,64}")) {
      return List.of();
    }
    List<Descriptor> matches = new ArrayList<>();
    for (Descriptor entry : index.manifestsOrEmpty()) {
      if (!s.hasBlob(entry.digest())) {
        continue;
      }
      ManifestDocument doc = ManifestDocument.parse(s.readBlob(entry.digest()), "manifest " + entry.digest());
      // a multi-platform image's ID is its index's digest (ls shows it so, as Docker's containerd store does)
      String imageId = doc.isIndex() ? entry.digest() : doc.config().digest();
      if (Digests.hex(imageId).startsWith(hex)) {
        matches.add(entry);
      }
    }
    return matches;
  }
}
