package com.example.gsping.imagetool.transfer;

import com.example.gsping.imagetool.image.Descriptor;
import com.example.gsping.imagetool.image.Digests;
import com.example.gsping.imagetool.image.ImageFormatException;
import com.example.gsping.imagetool.image.ImageReader;
import com.example.gsping.imagetool.image.ManifestDocument;
import com.example.gsping.imagetool.image.RawManifest;
import com.example.gsping.imagetool.registry.DistributionApiClient;
import com.example.gsping.imagetool.registry.RegistryRepositoryReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code push} (and {@code tag} across repositories): copies an image into a registry
 * repository. Every blob is first checked with HEAD and skipped when the destination has it;
 * on the same registry it is mounted from the source repository instead of uploaded; only
 * then are bytes sent. The manifest goes last, byte for byte, so the digest is the source's.
 * Output follows {@code docker push}.
 */
public final class ImageCopier {
  private final DistributionApiClient destination;
  private final String repository;
  private final PrintWriter out;

  public ImageCopier(DistributionApiClient destination, String repository, PrintWriter out) {
    this.destination = destination;
    this.repository = repository;
    this.out = out;
  }

  /**
   * Copies what {@code source} calls {@code reference} to {@code tag}; returns the digest. The
   * blobs the destination lacks are checked first ({@link ImageReader#checkBlob}), so a damaged
   * one stops the push before any blob goes up.
   */
  public String copy(ImageReader source, String reference, String tag) throws IOException {
    RawManifest top = source.manifest(reference);
    out.println("The push refers to repository [" + destination.registry() + "/" + repository + "]");
    List<RawManifest> children = new ArrayList<>();
    List<Blob> blobs = new ArrayList<>();
    collect(source, top, 0, children, blobs);
    Set<String> present = new HashSet<>();
    for (Blob b : blobs) {
      if (destination.hasBlob(repository, b.descriptor().digest())) {
        present.add(b.descriptor().digest());
      }
    }
    for (Blob b : blobs) {
      if (!present.contains(b.descriptor().digest())) {
        try {
          source.checkBlob(b.descriptor());
        } catch (ImageFormatException e) {
          throw new ImageFormatException(source.displayName(reference) + ": " + e.getMessage() + "; nothing was pushed");
        }
      }
    }
    for (Blob b : blobs) {
      copyBlob(source, b, present.contains(b.descriptor().digest()));
      present.add(b.descriptor().digest()); // platforms of an index share layers: each goes up once
    }
    for (RawManifest child : children) {
      destination.putManifest(repository, child.digest(), child);
    }
    destination.putManifest(repository, tag, top);
    out.println(tag + ": digest: " + top.digest() + " size: " + top.bytes().length);
    return top.digest();
  }

  /** A blob to copy; {@code report}: a layer, which gets a line of output (a config does not). */
  private record Blob(Descriptor descriptor, boolean report) {}

  /** Each image's config and layers (top first); an index's manifests in the order they must go up (children first). */
  private void collect(ImageReader source, RawManifest manifest, int depth, List<RawManifest> children, List<Blob> blobs)
      throws IOException {
    ManifestDocument doc = manifest.document();
    if (doc.isIndex()) {
      if (depth > 4) {
        throw new ImageFormatException(source.displayName(manifest.digest()) + ": image indexes nested too deeply");
      }
      for (Descriptor child : doc.manifests()) {
        RawManifest childManifest = source.manifest(child.digest());
        collect(source, childManifest, depth + 1, children, blobs);
        children.add(childManifest);
      }
      return;
    }
    blobs.add(new Blob(doc.config(), false));
    List<Descriptor> layers = doc.layersOrEmpty();
    for (int i = layers.size() - 1; i >= 0; i--) {
      blobs.add(new Blob(layers.get(i), true));
    }
  }

  private void copyBlob(ImageReader source, Blob b, boolean present) throws IOException {
    Descriptor blob = b.descriptor();
    String id = Digests.shortId(blob.digest());
    if (present) {
      say(b.report(), id + ": Layer already exists");
      return;
    }
    String mountFrom = null;
    if (source instanceof RegistryRepositoryReader r
        && r.client().registry().equals(destination.registry())
        && !r.repository().equals(repository)) {
      mountFrom = r.repository();
    }
    boolean mounted = destination.mountOrUpload(repository, blob.digest(), blob.size(), mountFrom, () -> open(source, blob));
    say(b.report(), id + (mounted ? ": Mounted from " + mountFrom : ": Pushed"));
  }

  private static InputStream open(ImageReader source, Descriptor blob) {
    try {
      return source.openBlob(blob);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void say(boolean report, String line) {
    if (report) {
      out.println(line);
      out.flush();
    }
  }
}
