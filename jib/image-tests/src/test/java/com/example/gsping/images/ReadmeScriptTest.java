package com.example.gsping.images;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How {@link ReadmeWalkthroughIT} reads the README and compares output: blocks, markers, and what a shape keeps. */
class ReadmeScriptTest {

    private static final List<String> README = List.of(
            "## Section",
            "```shell",
            "# a comment",
            "./mvnw -B package",
            "docker build \\",
            "    -t x .",
            "```",
            "",
            "<!-- readme-test: skip: it needs the internet -->",
            "```console",
            "$ curl https://example.com/",
            "```",
            "### Next",
            "```console",
            "$ docker image ls x",
            "REPOSITORY   TAG   IMAGE ID       CREATED        SIZE",
            "x            a     22f06756c78b   56 years ago   390MB",
            "$ docker image tag x:a x:b",
            "```",
            "```json",
            "{\"not\": \"run\"}",
            "```");

    @Test
    void blocksCommandsSamplesAndMarkersInOrder() {
        List<ReadmeScript.Block> blocks = ReadmeScript.parse(README);
        assertEquals(3, blocks.size(), "shell and console blocks only");
        assertEquals(List.of("./mvnw -B package", "docker build \\\n    -t x ."), blocks.get(0).commands().stream().map(ReadmeScript.Command::text).toList());
        assertEquals(List.of(ReadmeScript.Kind.RUN), blocks.get(0).kinds());
        assertEquals(List.of(ReadmeScript.Kind.SKIP), blocks.get(1).kinds());
        assertEquals(List.of("it needs the internet"), blocks.get(1).reasons());
        ReadmeScript.Block ls = blocks.get(2);
        assertEquals("### Next", ls.heading());
        assertEquals(2, ls.commands().get(0).sample().size());
        assertEquals(List.of(), ls.commands().get(1).sample());
        assertEquals(15, ls.commands().get(0).outputFrom(), "0-based README line of the first sample line");
        assertEquals("./mvnw -B package", ReadmeScript.key("./mvnw  -B package    # the images"));
    }

    @Test
    void idsDatesSizesAndWidthsAreNotPartOfTheShape() {
        assertEquals(OutputShape.of(List.of(
                        "REPOSITORY       TAG          IMAGE ID       CREATED        SIZE",
                        "docker-gs-ping   latest       22f06756c78b   56 years ago   390MB",
                        "latest: digest: sha256:99b6b73b2f318157203e786822c57ef86207ac6d5445ffcc57107316cbb7bbd7 size: 1046",
                        "date: Tue, 1 Dec 2026 23:36:03 GMT")),
                OutputShape.of(List.of(
                        "REPOSITORY       TAG      IMAGE ID       CREATED       SIZE",
                        "docker-gs-ping   latest   0a1b2c3d4e5f   2 hours ago   1.02GB",
                        "latest: digest: sha256:0000000000000000000000000000000000000000000000000000000000000000 size: 1202",
                        "date: Wed, 2 Dec 2026 00:09:05 GMT",
                        "")));
    }

    @Test
    void aMissingLineColumnOrTagIsAnotherShape() {
        List<String> sample = List.of("REPOSITORY   TAG    IMAGE ID       CREATED        SIZE", "x            v1.0   22f06756c78b   56 years ago   390MB");
        assertNotEquals(OutputShape.of(sample), OutputShape.of(sample.subList(0, 1)), "a line fewer");
        assertNotEquals(OutputShape.of(sample), OutputShape.of(List.of(sample.get(0), "x   latest   22f06756c78b   56 years ago   390MB")), "another tag");
        assertNotEquals(OutputShape.of(sample), OutputShape.of(List.of("REPOSITORY   TAG   IMAGE ID   SIZE", sample.get(1))), "a column fewer");
    }

    @Test
    void linesInAnotherOrderAreTheSameShapeButNotOtherLines() {
        List<String> sample = List.of("HEADER", "x   a   22f06756c78b", "x   b   d27fcb385041");
        assertTrue(OutputShape.same(sample, List.of("HEADER", "x   b   0a1b2c3d4e5f", "x   a   0a1b2c3d4e5f")), "Docker's order for images of one second");
        assertFalse(OutputShape.same(sample, List.of("HEADER", "x   a   0a1b2c3d4e5f", "x   c   0a1b2c3d4e5f")));
    }

    @Test
    void anElisionLineStandsForAnyNumberOfLines() {
        List<String> sample = List.of("...", "[INFO] Built image to Docker daemon as docker-gs-ping:multistage", "...");
        assertTrue(OutputShape.same(sample, List.of("[INFO] Scanning", "[INFO] Built image to Docker daemon as docker-gs-ping:multistage",
                "[INFO] BUILD SUCCESS", "[INFO] Total time: 12.3 s")));
        assertTrue(OutputShape.same(sample, List.of("[INFO] Built image to Docker daemon as docker-gs-ping:multistage")), "zero lines");
        assertFalse(OutputShape.same(sample, List.of("[INFO] Built image to Docker daemon as docker-gs-ping:latest")));
    }

    @Test
    void pagesAreEveryMarkdownFileWithCommandsReadmeFirstNoneUnderTarget(@TempDir Path root) throws Exception {
        String commands = "```console\n$ true\n```\n";
        Files.createDirectories(root.resolve("a/target"));
        Files.writeString(root.resolve("README.md"), commands);
        Files.writeString(root.resolve("a/B.md"), "```shell\ntrue\n```\n");
        Files.writeString(root.resolve("a/target/C.md"), commands);
        Files.writeString(root.resolve("NOTES.md"), "no commands\n```json\n{}\n```\n");
        assertEquals(List.of(root.resolve("README.md"), root.resolve("a/B.md")), ReadmeScript.pages(root));
    }
}
