package com.example.gsping.imagetool.store;

import com.example.gsping.imagetool.ImageToolException;
import com.example.gsping.imagetool.image.Descriptor;
import com.example.gsping.imagetool.image.Digests;
import com.example.gsping.imagetool.image.ImageFormatException;
import com.example.gsping.imagetool.image.ManifestDocument;
import com.example.gsping.imagetool.image.RawManifest;
import com.example.gsping.imagetool.image.Json;
import com.example.gsping.imagetool.image.StreamingJson;
import com.example.gsping.imagetool.layer.LayerSizeCache;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The daemonless local image store: an OCI image layout directory ({@code oci-layout},
 * {@code index.json}, {@code blobs/sha256/}) that other OCI tools (skopeo, umoci, crane) can
 * read too. The tool's own state lives in {@code .imagetool/} beside it: the lock file, temp
 * files, the layer size cache and the manifests untag released.
 *
 * <p>Every change is atomic: blobs are staged in a temp file and renamed once their digest
 * checks out ({@link StagedBlob}); index.json is replaced by renaming a synced temp file. A crash
 * therefore leaves the old index or the new one, plus at worst unreferenced blobs, which the
 * next write sweeps away; a write that fails removes what it added itself. Commands run under
 * {@link StoreLock}.
 */
public final class OciImageStore {
  public static final String ENV_STORE = "IMAGETOOL_STORE";
  private static final String OCI_LAYOUT = "{\"imageLayoutVersion\":\"1.0.0\"}";

  private final Path root;
  /** Blobs the current write added that no written index.json refers to yet. */
  private final Set<String> added = new LinkedHashSet<>();

  public OciImageStore(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  /** {@code $IMAGETOOL_STORE}, else {@code ${XDG_DATA_HOME:-$HOME/.local/share}/docker-gs-ping/images}. */
  public static Path defaultLocation(Map<String, String> env) {
    String explicit = env.get(ENV_STORE);
    if (explicit != null && !explicit.isBlank()) {
      return Path.of(explicit);
    }
    String dataHome = env.get("XDG_DATA_HOME");
    Path base =
        dataHome != null && !dataHome.isBlank()
            ? Path.of(dataHome)
            : Path.of(System.getProperty("user.home"), ".local", "share");
    return base.resolve("docker-gs-ping").resolve("images");
  }

  /** Work done while holding the store lock. */
  @FunctionalInterface
  public interface Work<T> {
    T run(OciImageStore store) throws IOException;
  }

  public Path root() {
    return root;
  }

  /**
   * Runs {@code work} under a shared lock; a store that does not exist yet reads as empty.
   * Needs no write access and none of the tool's own files ({@link StoreLock#shared}).
   */
  public <T> T read(Work<T> work) throws IOException {
    try (StoreLock lock = StoreLock.shared(lockFile())) {
      return work.run(this);
    }
  }

  /**
   * Runs {@code work} under the exclusive lock, creating the layout first if needed. Before the
   * work (so a full disk gets their space back) and after it, it sweeps what killed commands left
   * (temp files, unreferenced blobs): under the exclusive lock no other command is staging or
   * reading a blob. {@link #writeIndex} is the work's commit point: if the work fails before it,
   * the blobs it added are removed again, so the store is as it was.
   */
  public <T> T write(Work<T> work) throws IOException {
    try {
      Files.createDirectories(tmpDir());
      try (StoreLock lock = StoreLock.exclusive(lockFile())) {
        initLayout();
        removeStaleTempFiles();
        UnreferencedBlobSweeper.sweep(this, index());
        added.clear();
        T result;
        try {
          result = work.run(this);
        } finally {
          removeUncommitted();
        }
        UnreferencedBlobSweeper.sweep(this, index()); // again: a load may have repaired what kept the first sweep back
        return result;
      }
    } catch (IOException | UncheckedIOException e) {
      String message = e.getMessage() == null ? "" : e.getMessage();
      if (message.contains("No space left on device")) {
        throw new ImageToolException("cannot write to image store " + root + ": No space left on device", e);
      }
      if (message.contains("Read-only file system")) {
        throw new ImageToolException("cannot write to image store " + root + ": read-only file system", e);
      }
      if (e instanceof java.nio.file.AccessDeniedException) {
        throw new ImageToolException("cannot write to image store " + root + ": permission denied (" + message + ")", e);
      }
      throw e;
    }
  }

  /** After a failed write: the blobs it added (none after its index was written) and their cached sizes. */
  private void removeUncommitted() throws IOException {
    for (String digest : added) {
      deleteBlob(digest);
      layerSizeCache().remove(digest);
    }
    added.clear();
  }

  private Path lockFile() {
    return root.resolve(".imagetool").resolve("lock");
  }

  private void initLayout() throws IOException {
    Files.createDirectories(blobsDir());
    if (!Files.exists(root.resolve("oci-layout"))) {
      replaceAtomically(root.resolve("oci-layout"), OCI_LAYOUT.getBytes(StandardCharsets.UTF_8));
    }
    if (!Files.exists(root.resolve("index.json"))) {
      writeIndex(IndexDocument.empty());
    }
  }

  // Only under the exclusive lock: no other process can be staging a blob right now.
  private void removeStaleTempFiles() throws IOException {
    try (DirectoryStream<Path> stale = Files.newDirectoryStream(tmpDir())) {
      for (Path p : stale) {
        Files.deleteIfExists(p);
      }
    }
  }

  public IndexDocument index() throws IOException {
    try {
      byte[] json = Files.readAllBytes(root.resolve("index.json"));
      return StreamingJson.read(json, IndexDocument::read);
    } catch (NoSuchFileException e) {
      return IndexDocument.empty();
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new ImageToolException("image store " + root + " has a corrupt index.json: " + e.getOriginalMessage());
    }
  }

  /** Images no index.json entry names: Docker's dangling images, which {@code ls -a} lists. */
  public List<Descriptor> untaggedImages() throws IOException {
    return UnreferencedBlobSweeper.untaggedImages(this, StoreClosure.of(this, index())).stream().map(StoreClosure::entry).toList();
  }

  /** Replaces index.json; within {@link #write}, the blobs staged so far are kept from then on. */
  public void writeIndex(IndexDocument index) throws IOException {
    replaceAtomically(root.resolve("index.json"), Json.write(index));
    added.clear();
  }

  private void replaceAtomically(Path target, byte[] content) throws IOException {
    Path tmp = createReadableTempFile(tmpDir(), target.getFileName().toString() + "-");
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ch.write(java.nio.ByteBuffer.wrap(content));
        ch.force(true);
      }
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** A temp file that becomes a world-readable store file (rw-r--r--, like files Docker or skopeo write). */
  public static Path createReadableTempFile(Path dir, String prefix) throws IOException {
    Path tmp = Files.createTempFile(dir, prefix, ".tmp");
    try {
      Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: keep the default
    } catch (IOException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
    return tmp;
  }

  public boolean hasBlob(String digest) {
    return Files.isRegularFile(blobPath(digest));
  }

  public Path blobPath(String digest) {
    return blobsDir().resolve(Digests.hex(digest));
  }

  public InputStream openBlob(String digest) throws IOException {
    try {
      return Files.newInputStream(blobPath(digest));
    } catch (NoSuchFileException e) {
      throw new ImageToolException("image store " + root + " is missing blob " + digest);
    }
  }

  public byte[] readBlob(String digest) throws IOException {
    try (InputStream in = openBlob(digest)) {
      return in.readAllBytes();
    }
  }

  /**
   * A manifest or index blob, checked against its digest before it is parsed, so a damaged one
   * fails with one line naming it rather than with a JSON parser's complaint.
   */
  public RawManifest readManifest(String digest, String mediaTypeHint) throws IOException {
    if (!Digests.isSha256(digest)) {
      throw new ImageFormatException("manifest digest " + digest + " is not a sha256 digest");
    }
    if (!hasBlob(digest)) {
      throw new ImageFormatException("manifest " + digest + " is missing");
    }
    byte[] bytes = readBlob(digest);
    String actual = Digests.sha256(bytes);
    if (!actual.equals(digest)) {
      throw new ImageFormatException("manifest " + digest + " is damaged (content " + actual + ")");
    }
    ManifestDocument.parse(bytes, "manifest " + digest); // names the digest if it is not a manifest
    return RawManifest.of(bytes, mediaTypeHint);
  }

  /** Starts writing a new blob; commit it or close it. Only inside {@link #write}. */
  public StagedBlob stageBlob() throws IOException {
    return new StagedBlob(tmpDir(), blobsDir(), added::add);
  }

  /**
   * Whether the blob is there with the content its digest names; reads it whole. {@code load}
   * relies on an existing blob only after this, and rewrites it from the tarball otherwise.
   */
  public boolean hasIntactBlob(String digest) throws IOException {
    return hasBlob(digest) && digest.equals(contentDigest(blobPath(digest)));
  }

  /** The sha256 of a file's content. */
  static String contentDigest(Path file) throws IOException {
    java.security.MessageDigest sha256 = Digests.newSha256();
    try (InputStream in = new java.security.DigestInputStream(Files.newInputStream(file), sha256)) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
    }
    return Digests.of(sha256);
  }

  public String putBlob(byte[] content) throws IOException {
    try (StagedBlob blob = stageBlob()) {
      blob.output().write(content);
      return blob.commit(null);
    }
  }

  /**
   * Manifests untag removed while a damaged image kept the sweep back: the next sweep that runs
   * deletes them with their data, rather than keeping them as untagged images.
   */
  Set<String> released() throws IOException {
    try {
      return new LinkedHashSet<>(Files.readAllLines(releasedFile()));
    } catch (NoSuchFileException e) {
      return Set.of();
    }
  }

  void release(Set<String> manifests) throws IOException {
    Set<String> all = new LinkedHashSet<>(released());
    all.addAll(manifests);
    replaceAtomically(releasedFile(), String.join("\n", all).getBytes(StandardCharsets.UTF_8));
  }

  void forgetReleased() throws IOException {
    Files.deleteIfExists(releasedFile());
  }

  private Path releasedFile() {
    return root.resolve(".imagetool").resolve("released");
  }

  void deleteBlob(String digest) throws IOException {
    Files.deleteIfExists(blobPath(digest));
  }

  public LayerSizeCache layerSizeCache() {
    return new LayerSizeCache(root.resolve(".imagetool").resolve("layer-sizes"));
  }

  Path blobsDir() {
    return root.resolve("blobs").resolve("sha256");
  }

  Path tmpDir() {
    return root.resolve(".imagetool").resolve("tmp");
  }
}
