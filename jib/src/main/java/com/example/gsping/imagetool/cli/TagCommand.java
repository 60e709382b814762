package com.example.gsping.imagetool.cli;

import com.example.gsping.imagetool.ImageToolException;
import com.example.gsping.imagetool.image.RawManifest;
import com.example.gsping.imagetool.reference.ImageRef;
import com.example.gsping.imagetool.registry.DistributionApiClient;
import com.example.gsping.imagetool.store.LocalImageTags;
import com.example.gsping.imagetool.transfer.ImageCopier;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code tag SOURCE TARGET}: another name for the same image, no layer copied. */
@Command(name = "tag", mixinStandardHelpOptions = true,
    description = {"Create a tag TARGET that refers to the image SOURCE (docker tag).",
        "Local store: a new index.json entry. Same registry repository: the manifest's exact bytes are PUT",
        "under the new tag (same digest). Other repository or registry: existing blobs are skipped or mounted."})
final class TagCommand implements Callable<Integer> {
  @ParentCommand ImageToolCommand root;

  @Parameters(index = "0", paramLabel = "SOURCE")
  String source;

  @Parameters(index = "1", paramLabel = "TARGET")
  String target;

  @Override
  public Integer call() throws Exception {
    ImageRef from = ImageRef.parse(source);
    ImageRef to = ImageRef.parse(target);
    if (to.digest() != null || to.tag() == null) {
      throw new ImageToolException("invalid tag target '" + target + "': give REPOSITORY[:TAG], not a digest");
    }
    if (!from.inRegistry() && !to.inRegistry()) {
      LocalImageTags.tag(root.store(), from, to);
    } else if (!to.inRegistry()) {
      throw new ImageToolException("cannot tag registry image " + from + " into the local store (no pull);"
          + " tag it within the registry, or load a tarball");
    } else if (from.inRegistry() && from.registry().equals(to.registry()) && from.repository().equals(to.repository())) {
      DistributionApiClient registry = root.registry(to.registry());
      RawManifest manifest = registry.getManifest(from.repository(), from.reference());
      registry.putManifest(to.repository(), to.tag(), manifest);
    } else {
      root.store().read(s -> new ImageCopier(root.registry(to.registry()), to.repository(), root.out())
          .copy(ImageLocations.reader(root, s, from), from.reference(), to.tag()));
    }
    return 0;
  }
}
