package com.example.gsping.imagetool.cli;

import com.example.gsping.imagetool.ImageToolException;
import com.example.gsping.imagetool.image.Descriptor;
import com.example.gsping.imagetool.image.ImageResolver;
import com.example.gsping.imagetool.image.Json;
import com.example.gsping.imagetool.image.ManifestDocument;
import com.example.gsping.imagetool.image.MediaTypes;
import com.example.gsping.imagetool.image.ResolvedImage;
import com.example.gsping.imagetool.reference.ImageRef;
import com.example.gsping.imagetool.store.LocalRepositoryReader;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code index TARGET SOURCE...}: a multi-platform image of single-platform ones. */
@Command(name = "index", mixinStandardHelpOptions = true,
    description = {"Make a multi-platform image of single-platform ones (crane index append).",
        "TARGET, in the local store, becomes an OCI image index of the SOURCE images, one per",
        "platform, each listed with the platform its config states. Push it with push. For example:",
        "  imagetool index base:1 base:1-linux-amd64 base:1-linux-arm64"})
final class IndexCommand implements Callable<Integer> {
  @ParentCommand ImageToolCommand root;

  @Parameters(index = "0", paramLabel = "TARGET", description = "REPOSITORY[:TAG] in the local store.")
  String target;

  @Parameters(index = "1..*", arity = "1..*", paramLabel = "SOURCE", description = "Single-platform images in the local store.")
  List<String> sources;

  @Override
  public Integer call() throws Exception {
    ImageRef to = local(target);
    if (to.digest() != null) {
      throw new ImageToolException("index target " + target + ": give a tag, not a digest");
    }
    String digest = root.store().write(s -> {
      List<Descriptor> entries = new ArrayList<>();
      Set<String> platforms = new HashSet<>();
      for (String source : sources) {
        ImageRef from = local(source);
        ResolvedImage image = ImageResolver.resolve(new LocalRepositoryReader(s, from.repository()), from.reference(), null);
        if (image.fromIndex()) {
          throw new ImageToolException(source + " is a multi-platform image; name each platform's image");
        }
        if (!platforms.add(image.platform().toString())) {
          throw new ImageToolException(source + " is a second " + image.platform() + " image; one per platform");
        }
        Descriptor manifest = image.manifest().descriptor();
        entries.add(new Descriptor(manifest.mediaType(), manifest.size(), manifest.digest(), null,
            new Descriptor.Platform(image.platform().architecture(), image.platform().os(), image.platform().variant())));
      }
      byte[] index = Json.write(new ManifestDocument(2, MediaTypes.OCI_INDEX, null, null, entries));
      Descriptor written = new Descriptor(MediaTypes.OCI_INDEX, index.length, s.putBlob(index));
      s.writeIndex(s.index().withName(to.localName(), written));
      return written.digest();
    });
    root.out().println(digest);
    return 0;
  }

  private static ImageRef local(String name) {
    ImageRef ref = ImageRef.parse(name);
    if (ref.inRegistry()) {
      throw new ImageToolException("index works in the local store: " + name + " names a registry");
    }
    return ref;
  }
}
