package com.example.gsping.images;

import io.micronaut.json.tree.JsonNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The files one Jib execution wrote into an image dir: {@code <image>.digest}, {@code .id}, {@code -jib-image.json}, the tarball. */
record JibOutputs(Path dir, String image) {

    String digest() throws IOException {
        return read(image + ".digest");
    }

    String imageId() throws IOException {
        return read(image + ".id");
    }

    JsonNode imageJson() throws IOException {
        return Json.parse(Files.readAllBytes(existing(image + "-jib-image.json")));
    }

    Path tarball() {
        return dir.resolve(BuildUnderTest.IMAGE_NAME + "-" + image + ".tar");
    }

    private String read(String file) throws IOException {
        return Files.readString(existing(file), StandardCharsets.UTF_8).trim();
    }

    private Path existing(String file) {
        Path path = dir.resolve(file);
        if (!Files.isRegularFile(path)) {
            throw new AssertionError("Jib did not write " + path);
        }
        return path;
    }
}
