package com.example.gsping.images;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The shape of a command's output: its lines, each as its words with the values that change from run to run (or
 * commit to commit) replaced by what they are: digests, image and container IDs, timestamps, HTTP dates, durations ("56 years
 * ago", "Up 3 seconds"), sizes and other numbers. Headers, names, tags, words and the number of lines stay, so a
 * missing column, tag or line is a different shape, while a new ID, date, size or column width is not. A sample line
 * {@value #ELISION} stands for any number of lines (a long build's output, of which the sample keeps what matters).
 */
final class OutputShape {

    /** A sample line that matches zero or more output lines. */
    static final String ELISION = "...";

    private static final List<Replacement> VOLATILE = List.of(
            new Replacement("sha256:[0-9a-f]{64}", "<digest>"),
            new Replacement("\\b[0-9a-f]{64}\\b|\\b[0-9a-f]{12}\\b", "<id>"),
            // an HTTP Date header's value (RFC 9110 IMF-fixdate; Netty writes the day without a leading zero)
            new Replacement("(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), \\d{1,2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \\d{4}"
                    + " \\d\\d:\\d\\d:\\d\\d GMT", "<http-date>"),
            new Replacement("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(?:\\.\\d+)?(?:Z|[+-]\\d\\d:?\\d\\d)?", "<time>"),
            new Replacement("(?:Less than a second|About an? (?:minute|hour)|an? (?:second|minute|hour|day|week|month|year)"
                    + "|\\d+ (?:second|minute|hour|day|week|month|year)s?)", "<duration>"),
            new Replacement("\\d+(?:[.,]\\d+)*(?:B|kB|MB|GB|TB)\\b", "<size>"),
            new Replacement("\\d+(?:[.,]\\d+)*", "<n>"));

    private record Replacement(Pattern pattern, String replacement) {
        Replacement(String regex, String replacement) {
            this(Pattern.compile(regex), replacement);
        }
    }

    private OutputShape() {
    }

    /**
     * Whether {@code output} has {@code sample}'s shape: the same lines' shapes, in the same order or, as Docker
     * lists images created in the same second, in another.
     */
    static boolean same(List<String> sample, List<String> output) {
        List<String> expected = of(sample);
        List<String> actual = of(output);
        if (elides(sample)) {
            return matches(expected, 0, actual, 0);
        }
        return expected.equals(actual) || expected.stream().sorted().toList().equals(actual.stream().sorted().toList());
    }

    /** Whether {@code sample} has an {@link #ELISION} line. */
    static boolean elides(List<String> sample) {
        return sample.stream().anyMatch(line -> line.strip().equals(ELISION));
    }

    private static boolean matches(List<String> expected, int e, List<String> actual, int a) {
        if (e == expected.size()) {
            return a == actual.size();
        }
        if (expected.get(e).equals(ELISION)) {
            for (int skip = a; skip <= actual.size(); skip++) {
                if (matches(expected, e + 1, actual, skip)) {
                    return true;
                }
            }
            return false;
        }
        return a < actual.size() && expected.get(e).equals(actual.get(a)) && matches(expected, e + 1, actual, a + 1);
    }

    /** Each line's shape; trailing blank lines and carriage returns (HTTP headers) are not part of it. */
    static List<String> of(List<String> lines) {
        List<String> shape = new ArrayList<>();
        for (String line : lines) {
            String words = line.replace("\r", "");
            for (Replacement volatileValue : VOLATILE) {
                words = volatileValue.pattern().matcher(words).replaceAll(volatileValue.replacement());
            }
            shape.add(String.join(" ", words.strip().split("\\s+")));
        }
        while (!shape.isEmpty() && shape.get(shape.size() - 1).isEmpty()) {
            shape.remove(shape.size() - 1);
        }
        return shape;
    }
}
