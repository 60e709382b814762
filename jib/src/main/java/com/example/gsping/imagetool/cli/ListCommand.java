package com.example.gsping.imagetool.cli;

import com.example.gsping.imagetool.image.Descriptor;
import com.example.gsping.imagetool.image.ImageReader;
import com.example.gsping.imagetool.image.ImageResolver;
import com.example.gsping.imagetool.image.Json;
import com.example.gsping.imagetool.reference.ImageRef;
import com.example.gsping.imagetool.registry.RegistryRepositoryReader;
import com.example.gsping.imagetool.report.ImageListing;
import com.example.gsping.imagetool.store.IndexDocument;
import com.example.gsping.imagetool.store.LocalRepositoryReader;
import com.example.gsping.imagetool.store.OciImageStore;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code ls [REPOSITORY[:TAG]]}, as {@code docker image ls}. */
@Command(name = "ls", aliases = {"images", "list"}, mixinStandardHelpOptions = true,
    description = {"List images: REPOSITORY TAG IMAGE ID CREATED SIZE, as docker image ls prints them.",
        "With a registry repository (127.0.0.1:5000/app), lists that repository's tags."})
final class ListCommand implements Callable<Integer> {
  @ParentCommand ImageToolCommand root;
  @Mixin FormatOption format;

  @Parameters(arity = "0..1", paramLabel = "REPOSITORY[:TAG]", description = "Only this repository (and tag).")
  String filter;

  @Override
  public Integer call() throws Exception {
    ImageListing listing = new ImageListing(root.layerSizes(), root.now());
    ImageRef ref = filter == null ? null : ImageRef.parse(filter);
    boolean tagGiven = filter != null && filter.lastIndexOf(':') > filter.lastIndexOf('/') && ref.digest() == null;
    if (ref != null && ref.inRegistry()) {
      RegistryRepositoryReader reader = new RegistryRepositoryReader(root.registry(ref.registry()), ref.repository());
      Iterable<String> tags = tagGiven ? java.util.List.of(ref.tag()) : reader.client().listTags(ref.repository());
      for (String tag : tags) {
        listing.add(ref.registry() + "/" + ref.repository(), tag, ImageResolver.resolve(reader, tag), reader);
      }
    } else {
      OciImageStore store = root.store();
      store.read(s -> {
        for (Descriptor entry : s.index().manifestsOrEmpty()) {
          String name = IndexDocument.nameOf(entry);
          if (name == null) {
            if (ref == null) {
              ImageReader reader = new LocalRepositoryReader(s, "<none>");
              listing.add("<none>", "<none>", ImageResolver.resolve(reader, entry.digest()), reader);
            }
            continue;
          }
          int colon = name.lastIndexOf(':');
          String repository = name.substring(0, colon);
          String tag = name.substring(colon + 1);
          if (ref != null && (!repository.equals(ref.repository()) || (tagGiven && !tag.equals(ref.tag())))) {
            continue;
          }
          ImageReader reader = new LocalRepositoryReader(s, repository);
          listing.add(repository, tag, ImageResolver.resolve(reader, tag), reader);
        }
        return null;
      });
    }
    if (format.format == OutputFormat.json) {
      root.out().println(Json.pretty(listing.rows()));
    } else {
      listing.printTable(root.out());
    }
    return 0;
  }
}
