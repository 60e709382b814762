package com.example.gsping.imagetool.cli;

import com.example.gsping.imagetool.image.Descriptor;
import com.example.gsping.imagetool.image.ImageReader;
import com.example.gsping.imagetool.image.NamedImage;
import com.example.gsping.imagetool.reference.ImageRef;
import com.example.gsping.imagetool.registry.RegistryRepositoryReader;
import com.example.gsping.imagetool.store.IndexDocument;
import com.example.gsping.imagetool.store.LocalRepositoryReader;
import com.example.gsping.imagetool.store.OciImageStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Where a reference's image is read from, its registry or the local store: the one place the commands' paths part. */
final class ImageLocations {
  private ImageLocations() {}

  static ImageReader reader(ImageToolCommand root, OciImageStore store, ImageRef ref) {
    if (ref.inRegistry()) {
      return new RegistryRepositoryReader(root.registry(ref.registry()), ref.repository());
    }
    return new LocalRepositoryReader(store, ref.repository());
  }

  /**
   * The names {@code ls} lists: the image a digest names, a registry repository's tags (or the one tag given), or the local
   * store's names, all of them (dangling images too, with {@code all} untagged ones as well) or
   * one repository's (or one name).
   */
  static List<NamedImage> names(ImageToolCommand root, OciImageStore store, ImageRef filter, boolean tagGiven, boolean all)
      throws IOException {
    List<NamedImage> out = new ArrayList<>();
    if (filter != null && filter.digest() != null) { // one image, by digest
      String repository = (filter.inRegistry() ? filter.registry() + "/" : "") + filter.repository();
      return List.of(new NamedImage(repository, "<none>", reader(root, store, filter), filter.digest()));
    }
    if (filter != null && filter.inRegistry()) {
      RegistryRepositoryReader reader = new RegistryRepositoryReader(root.registry(filter.registry()), filter.repository());
      Iterable<String> tags = tagGiven ? List.of(filter.tag()) : reader.client().listTags(filter.repository());
      for (String tag : tags) {
        out.add(new NamedImage(filter.registry() + "/" + filter.repository(), tag, reader, tag));
      }
      return out;
    }
    for (Descriptor entry : store.index().manifestsOrEmpty()) {
      String name = IndexDocument.nameOf(entry);
      int colon = name == null ? -1 : name.lastIndexOf(':');
      // dangling, or a bare tag ("latest") as skopeo's oci:DIR:TAG and umoci name images: no repository to show
      if (colon <= (name == null ? -1 : name.lastIndexOf('/'))) {
        if (filter == null) {
          out.add(new NamedImage("<none>", name == null ? "<none>" : name, new LocalRepositoryReader(store, "<none>"), entry.digest()));
        }
        continue;
      }
      String repository = name.substring(0, colon);
      String tag = name.substring(colon + 1);
      if (filter == null || (repository.equals(filter.repository()) && (!tagGiven || tag.equals(filter.tag())))) {
        out.add(new NamedImage(repository, tag, new LocalRepositoryReader(store, repository), tag));
      }
    }
    if (all && filter == null) {
      for (Descriptor untagged : store.untaggedImages()) {
        out.add(new NamedImage("<none>", "<none>", new LocalRepositoryReader(store, "<none>"), untagged.digest()));
      }
    }
    return out;
  }
}
