package com.example.gsping.imagetool.cli;

import com.example.gsping.imagetool.store.StoreVerifier;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code verify [--prune]}: the local store's blobs against their digests, every name's blobs, and leftovers. */
@Command(name = "verify", aliases = {"fsck"}, mixinStandardHelpOptions = true,
    description = {"Check the local store's blobs and names (fsck).",
        "Reads every blob and checks it against its digest, follows every name to its manifests,",
        "configs and layers, and finds blobs or temp files nothing refers to. One line per problem;",
        "exit 1 if there is any. Needs only read access.",
        "A manifest index.json has no entry for is an untagged image, reported as such (ls -a lists it).",
        "--prune removes damaged and unreferenced blobs and leftover temp files; it deletes no",
        "intact manifest nor what one refers to. A name whose image is then incomplete, or an",
        "untagged image, stays: load its tarball again (that names it), or untag it."})
final class VerifyCommand implements Callable<Integer> {
  @ParentCommand ImageToolCommand root;

  @Option(names = "--prune", description = "Remove damaged and unreferenced blobs and leftover temp files; never an image.")
  boolean prune;

  @Override
  public Integer call() throws Exception {
    StoreVerifier.Report report = StoreVerifier.check(root.store());
    report.problems().forEach(p -> root.out().println(p));
    if (prune && !report.problems().isEmpty()) {
      report = StoreVerifier.prune(root.store());
      root.out().println("pruned; " + (report.problems().isEmpty() ? "no problem left" : "left:"));
      report.problems().forEach(p -> root.out().println(p));
    }
    root.out().println(report.blobs() + " blobs, " + report.names() + " names: "
        + (report.problems().isEmpty() ? "ok" : report.problems().size() + (report.problems().size() == 1 ? " problem" : " problems")));
    return report.problems().isEmpty() ? 0 : 1;
  }
}
