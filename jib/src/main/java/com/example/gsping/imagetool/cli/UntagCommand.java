package com.example.gsping.imagetool.cli;

import com.example.gsping.imagetool.ImageToolException;
import com.example.gsping.imagetool.reference.ImageRef;
import com.example.gsping.imagetool.registry.RegistryUntagger;
import com.example.gsping.imagetool.store.LocalImageTags;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code untag REF} (alias {@code rm}): removes one name; other names of the image stay. */
@Command(name = "untag", aliases = {"rm", "rmi"}, mixinStandardHelpOptions = true,
    description = {"Remove a tag (docker rmi without -f). Other tags of the same image stay.",
        "Local store: the image's data is deleted once no tag refers to it (Deleted: lines).",
        "Registry: DELETE by tag, or where the registry refuses that, the tag alone is moved to a",
        "throwaway manifest that is then deleted; the image and its other tags are never touched."})
final class UntagCommand implements Callable<Integer> {
  @ParentCommand ImageToolCommand root;

  @Parameters(arity = "1..*", paramLabel = "REF", description = "REPOSITORY:TAG, or a local IMAGE ID")
  List<String> refs;

  @Override
  public Integer call() throws Exception {
    for (String text : refs) {
      ImageRef ref = parseRegistryRef(text);
      if (ref != null) {
        if (ref.digest() != null) {
          throw new ImageToolException("untag removes a tag; " + text + " names a digest");
        }
        RegistryUntagger.untag(root.registry(ref.registry()), ref.repository(), ref.tag());
        root.out().println("Untagged: " + ref);
      } else {
        LocalImageTags.UntagResult result = LocalImageTags.untag(root.store(), text);
        result.untagged().forEach(n -> root.out().println("Untagged: " + n));
        result.deleted().forEach(d -> root.out().println("Deleted: " + d));
        if (result.keptBecause() != null) {
          root.err().println("imagetool: " + result.keptBecause() + "; no data is deleted until it is loaded again or untagged");
        }
      }
    }
    return 0;
  }

  private static ImageRef parseRegistryRef(String text) {
    try {
      ImageRef ref = ImageRef.parse(text);
      return ref.inRegistry() ? ref : null;
    } catch (ImageToolException e) {
      return null; // maybe an image ID; the local store decides
    }
  }
}
