package com.example.gsping.imagetool.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.gsping.imagetool.fixtures.CliRun;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HelpTest {
  /** picocli lists each command with the first line of its description: that line must be a whole sentence. */
  @Test
  void everyCommandSummaryInTheHelpIsAWholeSentence() {
    CliRun r = CliRun.run(null, "--help");
    assertEquals(0, r.exitCode(), r.err());
    List<String> lines = r.outLines();
    List<String> summaries = new ArrayList<>();
    for (String line : lines.subList(lines.indexOf("Commands:") + 1, lines.size())) {
      if (line.startsWith("    ")) {
        summaries.set(summaries.size() - 1, summaries.get(summaries.size() - 1) + " " + line.strip());
      } else {
        summaries.add(line.strip());
      }
    }
    assertEquals(14, summaries.size(), summaries.toString());
    for (String summary : summaries) {
      assertTrue(summary.endsWith("."), "cut mid-sentence: " + summary);
    }
  }

  @Test
  void platformSelectionIsDocumentedInTheHelpOfTheCommandsThatTakeIt() {
    String compare = CliRun.ok(null, "compare", "--help");
    assertTrue(compare.contains("\n  imagetool compare app:1 --platform linux/amd64 --platform linux/arm64\n"), compare);
    assertTrue(compare.contains("this machine's platform"), compare);
    String history = CliRun.ok(null, "history", "--help").replaceAll("\\s+", " ");
    assertTrue(history.contains("without it, this machine's platform (said on stderr)"), history);
    String ls = CliRun.ok(null, "--store", "history", "ls", "--help").replaceAll("\\s+", " ");
    assertTrue(ls.contains("one row per platform") && ls.contains("--platform=OS/ARCH[/VARIANT]"), ls);
  }
}
