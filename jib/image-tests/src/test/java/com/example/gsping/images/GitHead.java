package com.example.gsping.images;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The commit HEAD points to, read from the repository's files the way {@code git rev-parse HEAD} resolves it. */
final class GitHead {

    /** .mvn/maven-git-versioning-extension.xml's release tag pattern. */
    private static final Pattern RELEASE_TAG = Pattern.compile("v([0-9]+\\.[0-9]+\\.[0-9]+(-[0-9A-Za-z.-]+)?)");

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
        return Instant.ofEpochSecond(Long.parseLong(git(workTree, "log", "-1", "--format=%ct")));
    }

    /**
     * The versions of HEAD's release tags ({@code git tag --points-at HEAD}, vMAJOR.MINOR.PATCH[-PRE],
     * without the v): what the images' version label says when there is one.
     */
    static Set<String> releaseVersions(Path workTree) throws IOException, InterruptedException {
        Set<String> versions = new TreeSet<>();
        for (String tag : git(workTree, "tag", "--points-at", "HEAD").split("\n")) {
            Matcher release = RELEASE_TAG.matcher(tag.trim());
            if (release.matches()) {
                versions.add(release.group(1));
            }
        }
        return versions;
    }

    private static String git(Path workTree, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("git", "-C", workTree.toString()));
        command.addAll(List.of(args));
        Process git = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (git.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
        }
        return out;
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
