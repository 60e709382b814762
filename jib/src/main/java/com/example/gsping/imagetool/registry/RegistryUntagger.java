package com.example.gsping.imagetool.registry;

import com.example.gsping.imagetool.ImageToolException;
import com.example.gsping.imagetool.image.Descriptor;
import com.example.gsping.imagetool.image.Digests;
import com.example.gsping.imagetool.image.ImageNotFoundException;
import com.example.gsping.imagetool.image.Json;
import com.example.gsping.imagetool.image.ManifestDocument;
import com.example.gsping.imagetool.image.MediaTypes;
import com.example.gsping.imagetool.image.RawManifest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Removes one tag from a registry repository without touching the image it points to.
 *
 * <p>First the spec's {@code DELETE /v2/NAME/manifests/TAG}. Registries that refuse deletes by
 * tag (CNCF distribution 2.8 answers 400) only delete a manifest by digest, and that would
 * also drop every other tag of the image. So instead the tag is moved to a throwaway manifest
 * that exists only for this call (a tiny config with a random nonce, zero layers), and that
 * manifest is deleted by its digest: the registry removes it and the one tag on it. Before the
 * tag is moved, the same throwaway is pushed untagged and deleted once, to prove deletes work;
 * otherwise the tag would end up on the placeholder.
 */
public final class RegistryUntagger {
  private RegistryUntagger() {}

  /** How the tag was removed. */
  public enum Method {
    DELETE_BY_TAG,
    PLACEHOLDER_MANIFEST
  }

  public static Method untag(DistributionApiClient client, String repository, String tag) throws IOException {
    String name = client.registry() + "/" + repository + ":" + tag;
    if (client.manifestDigest(repository, tag).isEmpty()) {
      throw new ImageNotFoundException("No such image: " + name);
    }
    DistributionApiClient.DeleteResult byTag = client.deleteManifest(repository, tag);
    if (byTag.deleted()) {
      return Method.DELETE_BY_TAG;
    }
    if (byTag.status() == 404) {
      throw new ImageNotFoundException("No such image: " + name);
    }
    if (byTag.status() != 400 && byTag.status() != 405 && byTag.status() != 501) {
      throw new ImageToolException("registry " + client.registry() + ": cannot delete tag " + name + ": "
          + byTag.status() + " " + byTag.detail());
    }

    byte[] config = placeholderConfig(repository, tag);
    String configDigest = Digests.sha256(config);
    client.uploadBlob(repository, configDigest, config.length, () -> new ByteArrayInputStream(config));
    byte[] manifestBytes =
        Json.write(ManifestDocument.docker(new Descriptor(MediaTypes.DOCKER_CONFIG, config.length, configDigest), List.of()));
    RawManifest placeholder = new RawManifest(manifestBytes, MediaTypes.DOCKER_MANIFEST, Digests.sha256(manifestBytes));

    client.putManifest(repository, placeholder.digest(), placeholder);
    DistributionApiClient.DeleteResult probe = client.deleteManifest(repository, placeholder.digest());
    if (!probe.deleted()) {
      client.deleteBlob(repository, configDigest);
      throw new ImageToolException("registry " + client.registry() + " does not allow deleting manifests (" + probe.status()
          + " " + probe.detail().trim() + "); " + name + " left unchanged");
    }
    DistributionApiClient.DeleteResult removed;
    try {
      client.putManifest(repository, tag, placeholder);
      removed = client.deleteManifest(repository, placeholder.digest());
    } catch (ImageToolException e) {
      // the registry may have moved the tag before the connection broke
      throw new ImageToolException(e.getMessage() + "; " + name + " may be left on placeholder " + placeholder.digest()
          + " (an empty image): run untag again once the registry is back", e);
    }
    if (!removed.deleted()) {
      throw new ImageToolException("registry " + client.registry() + ": " + name + " now points to placeholder "
          + placeholder.digest() + " that could not be deleted: " + removed.status() + " " + removed.detail());
    }
    try {
      client.deleteBlob(repository, configDigest);
    } catch (ImageToolException e) {
      // best effort: the tag is gone and the blob unreferenced; failing here would make a rerun report "No such image"
    }
    return Method.PLACEHOLDER_MANIFEST;
  }

  private static byte[] placeholderConfig(String repository, String tag) {
    String now = Instant.now().toString();
    String json = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"created\":\"" + now + "\",\"config\":{},"
        + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]},"
        + "\"history\":[{\"created\":\"" + now + "\",\"created_by\":\"imagetool untag\",\"empty_layer\":true,"
        + "\"comment\":\"placeholder used to remove tag " + tag + " of " + repository + "; nonce " + UUID.randomUUID() + "\"}]}";
    return json.getBytes(StandardCharsets.UTF_8);
  }
}
