package com.example.gsping.imagetool.cli;

import com.example.gsping.imagetool.ImageToolException;
import com.example.gsping.imagetool.reference.ImageRef;
import com.example.gsping.imagetool.transfer.ImageCopier;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code push REF DEST}: local store (or a registry) to a registry. */
@Command(name = "push", mixinStandardHelpOptions = true,
    description = {"Copy image REF (local store or registry) to DEST in a registry.",
        "For example:",
        "  imagetool push docker-gs-ping:latest 127.0.0.1:5000/docker-gs-ping:latest",
        "Blobs the destination has are skipped (HEAD); on the same registry they are mounted."})
final class PushCommand implements Callable<Integer> {
  @ParentCommand ImageToolCommand root;

  @Parameters(index = "0", paramLabel = "REF")
  String source;

  @Parameters(index = "1", paramLabel = "DEST", description = "HOST[:PORT]/REPOSITORY[:TAG]")
  String destination;

  @Override
  public Integer call() throws Exception {
    ImageRef from = ImageRef.parse(source);
    ImageRef to = ImageRef.parse(destination);
    if (!to.inRegistry()) {
      throw new ImageToolException("push destination " + destination + " names no registry; write HOST[:PORT]/REPOSITORY[:TAG]");
    }
    if (to.digest() != null) {
      throw new ImageToolException("push destination " + destination + ": give a tag, not a digest");
    }
    root.store().read(s -> new ImageCopier(root.registry(to.registry()), to.repository(), root.out())
        .copy(ImageLocations.reader(root, s, from), from.reference(), to.tag()));
    return 0;
  }
}
