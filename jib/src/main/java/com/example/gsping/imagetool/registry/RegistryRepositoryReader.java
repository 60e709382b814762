package com.example.gsping.imagetool.registry;

import com.example.gsping.imagetool.image.Descriptor;
import com.example.gsping.imagetool.image.Digests;
import com.example.gsping.imagetool.image.ImageReader;
import com.example.gsping.imagetool.image.RawManifest;
import java.io.IOException;
import java.io.InputStream;

/** Reads one repository's images from a registry. */
public final class RegistryRepositoryReader implements ImageReader {
  private final DistributionApiClient client;
  private final String repository;

  public RegistryRepositoryReader(DistributionApiClient client, String repository) {
    this.client = client;
    this.repository = repository;
  }

  @Override
  public RawManifest manifest(String tagOrDigest) throws IOException {
    return client.getManifest(repository, tagOrDigest);
  }

  @Override
  public InputStream openBlob(Descriptor blob) throws IOException {
    return client.openBlob(repository, blob);
  }

  @Override
  public String displayName(String tagOrDigest) {
    return client.registry() + "/" + repository + (Digests.isSha256(tagOrDigest) ? "@" : ":") + tagOrDigest;
  }

  public DistributionApiClient client() {
    return client;
  }

  public String repository() {
    return repository;
  }
}
