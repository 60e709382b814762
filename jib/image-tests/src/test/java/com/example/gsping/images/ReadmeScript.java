package com.example.gsping.images;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A page's {@code shell} and {@code console} blocks, in order, as a user pastes them. In a console block a line
 * {@code $ COMMAND} (continued by lines ending in {@code \}) is a command and the lines up to the next {@code $ } are
 * its sample output; in a shell block every line but blank and {@code #} comment lines is a command (with its
 * continuations) and no output is shown. A block may be preceded by marker lines
 * {@code <!-- readme-test: KIND: reason -->}; see {@link Kind}.
 */
final class ReadmeScript {

    /** How the walkthrough test ({@link ReadmeWalkthroughIT}) treats a block; the reason is printed in its report. */
    enum Kind {
        /** run every command: it must exit 0 and print output of the sample's shape */
        RUN,
        /** not run at all (e.g. it runs the tests themselves, or needs the internet) */
        SKIP,
        /** what the build under test already did before the tests: not run again, nor an identical command on any page */
        BUILT,
        /** every command must fail (exit non-zero), printing output of the sample's shape */
        FAILS,
        /** the last command serves until the next heading: started in the background, its first lines compared */
        BACKGROUND
    }

    private static final Pattern FENCE = Pattern.compile("^```(\\S*)\\s*$");
    private static final Pattern MARKER = Pattern.compile("^<!-- readme-test: (skip|built|fails|background): (.+) -->$");
    private static final Pattern HEADING = Pattern.compile("^#{2,6} ");

    /** One command: its text (continuation lines joined), the page lines of its sample output {@code [outputFrom, outputTo)}. */
    record Command(String text, int line, int outputFrom, int outputTo, List<String> sample) {
    }

    record Block(String language, int line, String heading, List<Kind> kinds, List<String> reasons, List<Command> commands) {
        boolean is(Kind kind) {
            return kinds.contains(kind);
        }
    }

    private ReadmeScript() {
    }

    static List<Block> parse(List<String> lines) {
        List<Block> blocks = new ArrayList<>();
        String heading = "";
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (HEADING.matcher(line).find()) {
                heading = line;
                continue;
            }
            Matcher fence = FENCE.matcher(line);
            if (!fence.matches() || fence.group(1).isEmpty()) {
                continue;
            }
            int end = i + 1;
            while (end < lines.size() && !lines.get(end).startsWith("```")) {
                end++;
            }
            String language = fence.group(1);
            if (language.equals("shell") || language.equals("console")) {
                List<Kind> kinds = new ArrayList<>();
                List<String> reasons = new ArrayList<>();
                for (int m = i - 1; m >= 0 && !lines.get(m).isBlank(); m--) {
                    Matcher marker = MARKER.matcher(lines.get(m).strip());
                    if (!marker.matches()) {
                        break;
                    }
                    kinds.add(0, Kind.valueOf(marker.group(1).toUpperCase(java.util.Locale.ROOT)));
                    reasons.add(0, marker.group(2));
                }
                if (kinds.isEmpty()) {
                    kinds.add(Kind.RUN);
                }
                List<Command> commands = language.equals("console") ? consoleCommands(lines, i + 1, end) : shellCommands(lines, i + 1, end);
                blocks.add(new Block(language, i + 1, heading, List.copyOf(kinds), List.copyOf(reasons), commands));
            }
            i = end;
        }
        return blocks;
    }

    private static List<Command> consoleCommands(List<String> lines, int from, int to) {
        List<Command> commands = new ArrayList<>();
        int i = from;
        while (i < to) {
            if (!lines.get(i).startsWith("$ ")) {
                i++; // text before the first prompt
                continue;
            }
            int start = i;
            StringBuilder text = new StringBuilder(lines.get(i).substring(2));
            while (text.toString().endsWith("\\") && i + 1 < to) {
                text.append('\n').append(lines.get(++i));
            }
            int outputFrom = ++i;
            while (i < to && !lines.get(i).startsWith("$ ")) {
                i++;
            }
            commands.add(new Command(text.toString(), start + 1, outputFrom, i, List.copyOf(lines.subList(outputFrom, i))));
        }
        return commands;
    }

    private static List<Command> shellCommands(List<String> lines, int from, int to) {
        List<Command> commands = new ArrayList<>();
        for (int i = from; i < to; i++) {
            String line = lines.get(i);
            if (line.isBlank() || line.strip().startsWith("#")) {
                continue;
            }
            int start = i;
            StringBuilder text = new StringBuilder(line);
            while (text.toString().endsWith("\\") && i + 1 < to) {
                text.append('\n').append(lines.get(++i));
            }
            commands.add(new Command(text.toString(), start + 1, i + 1, i + 1, List.of()));
        }
        return commands;
    }

    /**
     * The repository's {@code *.md} files that have a {@code shell} or {@code console} block, README.md first, then by
     * path; none under a {@code target/} (build output) or {@code .git/}.
     */
    static List<Path> pages(Path root) throws IOException {
        List<Path> pages = new ArrayList<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
                String name = dir.getFileName().toString();
                boolean buildOutput = !dir.equals(root) && (name.equals("target") || name.equals(".git"));
                return buildOutput ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                if (file.toString().endsWith(".md") && !parse(Files.readAllLines(file, StandardCharsets.UTF_8)).isEmpty()) {
                    pages.add(file);
                }
                return FileVisitResult.CONTINUE;
            }
        });
        Path readme = root.resolve("README.md");
        pages.sort(Comparator.comparing((Path page) -> !page.equals(readme)).thenComparing(page -> root.relativize(page).toString()));
        return pages;
    }

    /** The command as a key for {@link Kind#BUILT}: without a trailing {@code # comment}, whitespace collapsed. */
    static String key(String command) {
        return command.replaceAll("\\s+#\\s.*$", "").replaceAll("\\\\\\n", " ").replaceAll("\\s+", " ").strip();
    }
}
