package com.example.gsping.imagetool.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.example.gsping.imagetool.fixtures.CliRun;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code generate-completion}: picocli's bash completion script, which bash then uses to complete commands and options. */
class CompletionTest {
  @TempDir Path dir;

  @Test
  void bashCompletesCommandsAndTheirOptionsFromTheScript() throws Exception {
    Path script = Files.writeString(dir.resolve("imagetool.bash"), CliRun.ok(null, "generate-completion"));
    assertEquals("unpack untag", complete(script, "imagetool un"));
    assertEquals("--digests", complete(script, "imagetool ls --dig"));
    assertEquals("images import index inspect", complete(script, "jib/imagetool i"), "ls is also images");
  }

  /** What bash offers for the last word of LINE, as TAB would. */
  private static String complete(Path script, String line) throws Exception {
    String[] words = line.split(" ");
    String bash = "source " + script + "; COMP_WORDS=(" + line + "); COMP_CWORD=" + (words.length - 1)
        + "; COMP_LINE='" + line + "'; COMP_POINT=" + line.length() + "; _complete_imagetool; printf '%s\\n' \"${COMPREPLY[@]}\"";
    // compopt says on stderr that no completion is under way: bash is not at a prompt here
    Process p = new ProcessBuilder("bash", "-c", bash).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(30, TimeUnit.SECONDS);
    return String.join(" ", out.lines().map(String::strip).sorted().toList());
  }
}
