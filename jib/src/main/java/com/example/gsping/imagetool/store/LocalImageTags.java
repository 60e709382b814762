package com.example.gsping.imagetool.store;

import com.example.gsping.imagetool.ImageToolException;
import com.example.gsping.imagetool.image.Descriptor;
import com.example.gsping.imagetool.image.Digests;
import com.example.gsping.imagetool.image.ImageNotFoundException;
import com.example.gsping.imagetool.image.ManifestDocument;
import com.example.gsping.imagetool.reference.ImageRef;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

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

  /**
   * What {@code untag} did, in Docker's words; {@code keptBecause} names the damaged image that
   * kept the untagged image's data from being deleted (null when nothing did).
   */
  public record UntagResult(List<String> untagged, List<String> deleted, String keptBecause) {}

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
      List<String> released = new ArrayList<>(); // the removed images' configs and layers, as Docker reports them
      Set<String> releasedManifests = new LinkedHashSet<>();
      for (Descriptor d : removed) {
        next = next.without(d);
        StoreClosure closure = StoreClosure.of(s, d);
        released.addAll(closure.configsAndLayers());
        releasedManifests.addAll(closure.manifests());
      }
      s.release(releasedManifests); // first: a crash before the index is written leaves them named
      s.writeIndex(next);
      UnreferencedBlobSweeper.Result swept = UnreferencedBlobSweeper.sweep(s, next);
      List<String> deleted = released.stream().distinct().filter(swept.deleted()::contains).toList();
      return new UntagResult(untagged, deleted, swept.blockedBy().map(c -> c.label() + ": " + c.damage()).orElse(null));
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
      return s.readManifest(ref.digest(), null).descriptor();
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
      ManifestDocument doc;
      try {
        doc = s.readManifest(entry.digest(), entry.mediaType()).document();
      } catch (ImageToolException e) {
        continue; // a damaged image has no ID to match; untag it by name
      }
      // a multi-platform image's ID is its index's digest (ls shows it so, as Docker's containerd store does)
      String imageId = doc.isIndex() ? entry.digest() : doc.config().digest();
      if (Digests.hex(imageId).startsWith(hex)) {
        matches.add(entry);
      }
    }
    return matches;
  }
}
