package com.example.gsping.imagetool.store;

import com.example.gsping.imagetool.ImageToolException;
import com.example.gsping.imagetool.image.Digests;
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
import java.util.Map;

/**
 * The daemonless local image store: an OCI image layout directory ({@code oci-layout},
 * {@code index.json}, {@code blobs/sha256/}) that other OCI tools (skopeo, umoci, crane) can
 * read too. The tool's own state lives in {@code .imagetool/} beside it: the lock file, temp
 * files and the layer size cache.
 *
 * <p>Every change is atomic: blobs are staged in a temp file and renamed once their digest
 * checks out ({@link StagedBlob}); index.json is replaced by renaming a synced temp file. A crash
 * therefore leaves the old index or the new one, plus at worst unreferenced blobs, which the
 * next write sweeps away. Commands run under {@link StoreLock}.
 */
public final class OciImageStore {
  public static final String ENV_STORE = "IMAGETOOL_STORE";
  private static final String OCI_LAYOUT = "{\"imageLayoutVersion\":\"1.0.0\"}";

  private final Path root;

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

  /** Runs {@code work} under a shared lock; a store that does not exist yet reads as empty. */
  public <T> T read(Work<T> work) throws IOException {
    if (!Files.isRegularFile(root.resolve("index.json"))) {
      return work.run(this);
    }
    try (StoreLock lock = StoreLock.acquire(lockFile(), false)) {
      return work.run(this);
    }
  }

  /** Runs {@code work} under the exclusive lock, creating the layout first if needed. */
  public <T> T write(Work<T> work) throws IOException {
    try {
      Files.createDirectories(root.resolve(".imagetool").resolve("tmp"));
      try (StoreLock lock = StoreLock.acquire(lockFile(), true)) {
        initLayout();
        removeStaleTempFiles();
        return work.run(this);
      }
    } catch (IOException | UncheckedIOException e) {
      String message = e.getMessage() == null ? "" : e.getMessage();
      if (message.contains("No space left on device")) {
        throw new ImageToolException("cannot write to image store " + root + ": No space left on device", e);
      }
      if (e instanceof java.nio.file.AccessDeniedException || e instanceof java.nio.file.ReadOnlyFileSystemException) {
        throw new ImageToolException("cannot write to image store " + root + ": permission denied (" + message + ")", e);
      }
      throw e;
    }
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

  public void writeIndex(IndexDocument index) throws IOException {
    replaceAtomically(root.resolve("index.json"), Json.write(index));
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

  /** Starts writing a new blob; commit it or close it. Only inside {@link #write}. */
  public StagedBlob stageBlob() throws IOException {
    return new StagedBlob(tmpDir(), blobsDir());
  }

  public String putBlob(byte[] content) throws IOException {
    try (StagedBlob blob = stageBlob()) {
      blob.output().write(content);
      return blob.commit(null);
    }
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

  private Path tmpDir() {
    return root.resolve(".imagetool").resolve("tmp");
  }
}
