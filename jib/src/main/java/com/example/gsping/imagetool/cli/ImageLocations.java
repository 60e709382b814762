package com.example.gsping.imagetool.cli;

import com.example.gsping.imagetool.image.ImageReader;
import com.example.gsping.imagetool.reference.ImageRef;
import com.example.gsping.imagetool.registry.RegistryRepositoryReader;
import com.example.gsping.imagetool.store.LocalRepositoryReader;
import com.example.gsping.imagetool.store.OciImageStore;

/** Where a reference's image is read from: its registry, or the local store. */
final class ImageLocations {
  private ImageLocations() {}

  static ImageReader reader(ImageToolCommand root, OciImageStore store, ImageRef ref) {
    if (ref.inRegistry()) {
      return new RegistryRepositoryReader(root.registry(ref.registry()), ref.repository());
    }
    return new LocalRepositoryReader(store, ref.repository());
  }
}
