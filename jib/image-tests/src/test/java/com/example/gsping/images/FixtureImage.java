package com.example.gsping.images;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A small image tarball in Docker's format (the one {@code jib:buildTar} writes), made by a test with exactly the
 * layers and config it needs, so that checks over real images can be shown to fail on a planted case.
 */
final class FixtureImage {

    /** One tar entry of a layer: a file, a symlink ({@code symlinkTarget} set), or a whiteout ({@code .wh.NAME}, an empty file). */
    record FixtureEntry(String path, int mode, byte[] content, String symlinkTarget) {

        static FixtureEntry file(String path, int mode, byte[] content) {
            return new FixtureEntry(path, mode, content, null);
        }

        static FixtureEntry file(String path, String content) {
            return file(path, 0644, content.getBytes(StandardCharsets.UTF_8));
        }

        static FixtureEntry symlink(String path, String target) {
            return new FixtureEntry(path, 0777, new byte[0], target);
        }

        /** Deletes {@code path} from the layers below, as a later layer does. */
        static FixtureEntry whiteout(String path) {
            int slash = path.lastIndexOf('/');
            return file(path.substring(0, slash + 1) + ".wh." + path.substring(slash + 1), 0644, new byte[0]);
        }
    }

    private final List<List<FixtureEntry>> layers = new ArrayList<>();
    private String runConfigJson = "{}";
    private String historyJson = "[]";

    FixtureImage layer(FixtureEntry... entries) {
        layers.add(List.of(entries));
        return this;
    }

    /** The config's {@code config} object (Env, Labels, Entrypoint, …) and {@code history} array, as JSON. */
    FixtureImage config(String runConfigJson, String historyJson) {
        this.runConfigJson = runConfigJson;
        this.historyJson = historyJson;
        return this;
    }

    ImageTarball writeTo(Path file) throws IOException {
        List<String> diffIds = new ArrayList<>();
        List<byte[]> blobs = new ArrayList<>();
        for (List<FixtureEntry> layer : layers) {
            byte[] tar = tar(layer);
            diffIds.add(Json.sha256(tar));
            ByteArrayOutputStream gzipped = new ByteArrayOutputStream();
            try (OutputStream gzip = new GzipCompressorOutputStream(gzipped)) {
                gzip.write(tar);
            }
            blobs.add(gzipped.toByteArray());
        }
        List<String> blobNames = blobs.stream().map(blob -> Json.sha256(blob).substring("sha256:".length()) + ".tar.gz").toList();
        String config = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":" + runConfigJson
                + ",\"history\":" + historyJson
                + ",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":" + jsonStrings(diffIds) + "}}";
        String manifest = "[{\"Config\":\"config.json\",\"RepoTags\":[\"fixture:latest\"],\"Layers\":" + jsonStrings(blobNames) + "}]";
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(Files.newOutputStream(file))) {
            put(out, "config.json", 0644, config.getBytes(StandardCharsets.UTF_8));
            for (int i = 0; i < blobs.size(); i++) {
                put(out, blobNames.get(i), 0644, blobs.get(i));
            }
            put(out, "manifest.json", 0644, manifest.getBytes(StandardCharsets.UTF_8));
        }
        return ImageTarball.open(file);
    }

    private static byte[] tar(List<FixtureEntry> entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (FixtureEntry entry : entries) {
                String name = entry.path().substring(1); // layer tars hold relative names
                if (entry.symlinkTarget() != null) {
                    TarArchiveEntry link = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
                    link.setLinkName(entry.symlinkTarget());
                    link.setMode(0120000 | entry.mode());
                    tar.putArchiveEntry(link);
                    tar.closeArchiveEntry();
                } else {
                    put(tar, name, entry.mode(), entry.content());
                }
            }
        }
        return bytes.toByteArray();
    }

    private static void put(TarArchiveOutputStream tar, String name, int mode, byte[] content) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setMode(0100000 | mode);
        entry.setSize(content.length);
        tar.putArchiveEntry(entry);
        tar.write(content);
        tar.closeArchiveEntry();
    }

    private static String jsonStrings(List<String> values) {
        return values.stream().map(value -> "\"" + value + "\"").collect(Collectors.joining(",", "[", "]"));
    }
}
