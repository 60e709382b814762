package com.example.gsping.image;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/** The commit HEAD points to, read from the repository's files the way {@code git rev-parse HEAD} resolves it. */
final class GitHead {

    private GitHead() {
    }

    /** Empty when the project is not a git work tree (e.g. built from a source archive). */
    static Optional<String> of(Path workTree) throws IOException {
        Path dotGit = workTree.resolve(".git");
        Path gitDir;
        if (Files.isDirectory(dotGit)) {
            gitDir = dotGit;
        } else if (Files.isRegularFile(dotGit)) { // worktree or submodule: "gitdir: <path>"
            gitDir = workTree.resolve(read(dotGit).replaceFirst("^gitdir:\\s*", ""));
        } else {
            return Optional.empty();
        }
        Path commonDir = Files.isRegularFile(gitDir.resolve("commondir")) ? gitDir.resolve(read(gitDir.resolve("commondir"))) : gitDir;
        String head = read(gitDir.resolve("HEAD"));
        for (int depth = 0; head.startsWith("ref: ") && depth < 10; depth++) {
            head = ref(gitDir, commonDir, head.substring("ref: ".length()).trim());
        }
        if (!head.matches("[0-9a-f]{40}([0-9a-f]{24})?")) {
            throw new IllegalStateException("cannot resolve HEAD of " + workTree + ": " + head);
        }
        return Optional.of(head);
    }

    /** The committer time of HEAD, from {@code git log -1 --format=%ct} (the time the images are dated with). */
    static Instant commitTime(Path workTree) throws IOException, InterruptedException {
        Process git = new ProcessBuilder("git", "-C", workTree.toString(), "log", "-1", "--format=%ct").redirectErrorStream(true).start();
        String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (git.waitFor() != 0) {
            throw new IllegalStateException("git log failed: " + out);
        }
        return Instant.ofEpochSecond(Long.parseLong(out));
    }

    private static String ref(Path gitDir, Path commonDir, String ref) throws IOException {
        for (Path dir : new Path[] {gitDir, commonDir}) {
            Path loose = dir.resolve(ref);
            if (Files.isRegularFile(loose)) {
                return read(loose);
            }
        }
        Path packed = commonDir.resolve("packed-refs");
        if (Files.isRegularFile(packed)) {
            for (String line : Files.readAllLines(packed, StandardCharsets.UTF_8)) {
                if (line.endsWith(" " + ref) && !line.startsWith("#")) {
                    return line.substring(0, line.indexOf(' '));
                }
            }
        }
        throw new IllegalStateException("ref " + ref + " not found in " + commonDir);
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8).trim();
    }
}
