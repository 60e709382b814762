package com.example.gsping.imagetool.cli;

import com.example.gsping.imagetool.ImageToolException;
import com.example.gsping.imagetool.tarball.LoadedImage;
import com.example.gsping.imagetool.tarball.TarballLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code load FILE}: a Jib, docker save or OCI layout tarball into the local store. */
@Command(name = "load", mixinStandardHelpOptions = true,
    description = {"Load images from a tarball into the local store (docker load).",
        "The tarball is jib:buildTar output, docker save output, or an OCI image layout tar; plain or gzipped."})
final class LoadCommand implements Callable<Integer> {
  @ParentCommand ImageToolCommand root;

  @Option(names = {"-i", "--input"}, paramLabel = "FILE", description = "Tarball to load (or give it as argument).")
  Path input;

  @Parameters(arity = "0..1", paramLabel = "FILE")
  Path file;

  @Override
  public Integer call() throws Exception {
    Path tarball = file != null ? file : input;
    if (tarball == null) {
      throw new picocli.CommandLine.ParameterException(
          new picocli.CommandLine(this), "load needs a tarball: imagetool load FILE.tar");
    }
    List<LoadedImage> images = TarballLoader.load(root.store(), tarball);
    if (images.isEmpty()) {
      throw new ImageToolException(tarball + " contains no images");
    }
    for (LoadedImage image : images) {
      if (image.names().isEmpty()) {
        root.out().println("Loaded image ID: " + image.imageId());
      }
      image.names().forEach(n -> root.out().println("Loaded image: " + n));
    }
    return 0;
  }
}
