package com.example.gsping.images;

import io.micronaut.json.tree.JsonNode;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarFile;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.io.input.CloseShieldInputStream;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * An image tarball in Docker's format, as {@code jib:buildTar} and {@code docker save} write it:
 * {@code manifest.json} (config file, repo tags, layer files), the config JSON and one blob per layer,
 * read without any Docker daemon.
 */
final class ImageTarball {

    static final String DOCKER_MANIFEST_V2 = "application/vnd.docker.distribution.manifest.v2+json";
    static final String DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";
    static final String DOCKER_LAYER_GZIP = "application/vnd.docker.image.rootfs.diff.tar.gzip";

    private final Path file;
    private final JsonNode manifestJson;
    private final byte[] configBytes;
    private final JsonNode config;

    private ImageTarball(Path file, JsonNode manifestJson, byte[] configBytes) {
        this.file = file;
        this.manifestJson = manifestJson;
        this.configBytes = configBytes;
        this.config = Json.parse(configBytes);
    }

    static ImageTarball open(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new AssertionError("no image tarball at " + file);
        }
        try (TarFile tar = new TarFile(file)) {
            Map<String, TarArchiveEntry> entries = entries(tar);
            JsonNode manifestJson = Json.parse(read(tar, entries, file, "manifest.json"));
            String configName = manifestJson.get(0).get("Config").getStringValue();
            return new ImageTarball(file, manifestJson, read(tar, entries, file, configName));
        }
    }

    Path file() {
        return file;
    }

    long fileSize() throws IOException {
        return Files.size(file);
    }

    /** How many images {@code manifest.json} lists (one per distinct config). */
    int imageCount() {
        return manifestJson.size();
    }

    List<String> repoTags() {
        return Json.strings(manifestJson.get(0).get("RepoTags"));
    }

    List<String> layerFiles() {
        return Json.strings(manifestJson.get(0).get("Layers"));
    }

    byte[] configBytes() {
        return configBytes.clone();
    }

    /** The whole config: architecture, os, config, history, rootfs. */
    JsonNode config() {
        return config;
    }

    /** The runtime part of the config: User, Env, Entrypoint, Cmd, ExposedPorts, Labels, … */
    JsonNode runConfig() {
        return config.get("config");
    }

    /** The config's {@code rootfs.diff_ids}: sha256 of each layer's uncompressed tar. */
    List<String> diffIds() {
        return Json.strings(config.get("rootfs").get("diff_ids"));
    }

    /** The comments of the history entries that made a layer, in layer order. */
    List<String> layerHistoryComments() {
        List<String> comments = new ArrayList<>();
        for (JsonNode entry : config.get("history").values()) {
            JsonNode empty = entry.get("empty_layer");
            if (empty == null || !empty.getBooleanValue()) {
                JsonNode comment = entry.get("comment");
                comments.add(comment == null ? "" : comment.getStringValue());
            }
        }
        return comments;
    }

    /** Reads every layer blob once: its digests and sizes and the merged filesystem, keeping the contents of the paths asked for. */
    Layers readLayers(Predicate<String> keepContent) throws IOException {
        return readLayers(keepContent, (file, content) -> { });
    }

    /** Like {@link #readLayers(Predicate)}, and shows every file of every layer to {@code files} as it is read. */
    Layers readLayers(Predicate<String> keepContent, FileVisitor files) throws IOException {
        List<Layer> layers = new ArrayList<>();
        ImageFs fs = new ImageFs();
        try (TarFile tar = new TarFile(file)) {
            Map<String, TarArchiveEntry> entries = entries(tar);
            for (String name : layerFiles()) {
                TarArchiveEntry entry = entries.get(name);
                if (entry == null) {
                    throw new AssertionError(file + " lists layer " + name + " but does not contain it");
                }
                try (InputStream raw = tar.getInputStream(entry)) {
                    layers.add(readLayer(name, raw, fs, keepContent, files));
                }
            }
        }
        return new Layers(layers, fs);
    }

    /** The registry manifest (Docker image manifest v2, schema 2) of this image, serialized the way Jib does. */
    byte[] dockerManifestV2(Layers layers) {
        StringBuilder json = new StringBuilder()
                .append("{\"schemaVersion\":2,\"mediaType\":\"").append(DOCKER_MANIFEST_V2).append('"')
                .append(",\"config\":").append(descriptor(DOCKER_CONFIG, Json.sha256(configBytes), configBytes.length))
                .append(",\"layers\":[");
        for (int i = 0; i < layers.layers().size(); i++) {
            Layer layer = layers.layers().get(i);
            json.append(i == 0 ? "" : ",").append(descriptor(DOCKER_LAYER_GZIP, layer.blobDigest(), layer.blobSize()));
        }
        return json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String descriptor(String mediaType, String digest, long size) {
        return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + digest + "\",\"size\":" + size + "}";
    }

    private static Layer readLayer(String name, InputStream raw, ImageFs fs, Predicate<String> keepContent, FileVisitor files) throws IOException {
        DigestingStream blob = new DigestingStream(raw);
        BufferedInputStream buffered = new BufferedInputStream(blob, 64 * 1024);
        buffered.mark(2);
        boolean gzip = buffered.read() == 0x1f && buffered.read() == 0x8b;
        buffered.reset();
        DigestingStream uncompressed = new DigestingStream(gzip ? new GzipCompressorInputStream(buffered) : buffered);
        List<ImageFs.Entry> layerEntries = new ArrayList<>();
        long fileBytes = 0;
        TarArchiveInputStream layerTar = new TarArchiveInputStream(uncompressed);
        for (TarArchiveEntry entry = layerTar.getNextEntry(); entry != null; entry = layerTar.getNextEntry()) {
            String path = ImageFs.normalize(entry.getName());
            byte[] content = null;
            if (entry.isFile() && !entry.isLink()) {
                fileBytes += entry.getSize();
                if (keepContent.test(path)) {
                    content = layerTar.readAllBytes();
                }
            }
            ImageFs.Entry imageEntry = ImageFs.Entry.of(path, entry, fs.layerCount(), content);
            if (imageEntry.type() == ImageFs.Type.FILE || imageEntry.type() == ImageFs.Type.HARDLINK) {
                files.visit(imageEntry, content != null ? new ByteArrayInputStream(content) : CloseShieldInputStream.wrap(layerTar));
            }
            layerEntries.add(imageEntry);
        }
        // the rest of the tar stream (end-of-archive records) and of the blob count for the digests too
        uncompressed.transferTo(OutputStream.nullOutputStream());
        buffered.transferTo(OutputStream.nullOutputStream());
        fs.apply(layerEntries);
        return new Layer(name, blob.digest(), blob.count(), uncompressed.digest(), uncompressed.count(), fileBytes, gzip,
                List.copyOf(layerEntries));
    }

    private static Map<String, TarArchiveEntry> entries(TarFile tar) {
        Map<String, TarArchiveEntry> entries = new LinkedHashMap<>();
        tar.getEntries().forEach(entry -> entries.put(ImageFs.normalize(entry.getName()).substring(1), entry));
        return entries;
    }

    private static byte[] read(TarFile tar, Map<String, TarArchiveEntry> entries, Path file, String name) throws IOException {
        TarArchiveEntry entry = entries.get(name);
        if (entry == null) {
            throw new AssertionError(file + " has no " + name + " (entries: " + entries.keySet() + ")");
        }
        try (InputStream in = tar.getInputStream(entry)) {
            return in.readAllBytes();
        }
    }

    /** Sees a file (or hard link) of a layer while it is read: files that a later layer deletes or replaces too. */
    @FunctionalInterface
    interface FileVisitor {
        /** {@code content}: the file's bytes (none for a hard link), readable during this call only. */
        void visit(ImageFs.Entry file, InputStream content) throws IOException;
    }

    /** One layer blob: its digest and size as stored (compressed) and as a tar (the diff_id), and what it adds. */
    record Layer(String fileName, String blobDigest, long blobSize, String diffId, long tarSize, long fileBytes,
                 boolean gzip, List<ImageFs.Entry> entries) {

        List<String> paths() {
            return entries.stream().map(ImageFs.Entry::path).toList();
        }
    }

    /** All layers of an image in order, and the filesystem they make. */
    record Layers(List<Layer> layers, ImageFs fs) {

        /** Every entry of every layer, in layer order: also what a later layer deletes or replaces, which is still in the image. */
        List<ImageFs.Entry> allEntries() {
            return layers.stream().flatMap(layer -> layer.entries().stream()).toList();
        }

        long blobBytes() {
            return layers.stream().mapToLong(Layer::blobSize).sum();
        }

        long tarBytes() {
            return layers.stream().mapToLong(Layer::tarSize).sum();
        }

        long fileBytes() {
            return layers.stream().mapToLong(Layer::fileBytes).sum();
        }
    }

    /** Counts and hashes what is read through it. */
    private static final class DigestingStream extends FilterInputStream {
        private final MessageDigest digest = Json.sha256Digest();
        private long count;

        DigestingStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                digest.update((byte) b);
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                digest.update(buffer, offset, n);
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            // skipped bytes must be hashed too
            byte[] buffer = new byte[8192];
            long skipped = 0;
            while (skipped < n) {
                int read = read(buffer, 0, (int) Math.min(buffer.length, n - skipped));
                if (read < 0) {
                    break;
                }
                skipped += read;
            }
            return skipped;
        }

        @Override
        public boolean markSupported() {
            return false;
        }

        String digest() {
            return "sha256:" + HexFormat.of().formatHex(digest.digest());
        }

        long count() {
            return count;
        }
    }
}
