package com.example.gsping.imagetool.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.gsping.imagetool.fixtures.CliRun;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * jib/README.md's command reference is written from the commands' picocli definitions, what {@code --help}
 * prints: this test fails when the page and the definitions disagree, and with {@code -Dreference.write=true}
 * writes the page's reference anew.
 */
class CommandReferenceTest {
  private static final Path PAGE = Path.of("README.md");
  private static final String BEGIN = "<!-- command reference: written by CommandReferenceTest from the commands' picocli"
      + " definitions (-Dreference.write=true) -->\n";
  private static final String END = "<!-- end of command reference -->\n";

  @Test
  void thePagesCommandReferenceIsWhatTheCommandsHelpSays() throws Exception {
    String page = Files.readString(PAGE, StandardCharsets.UTF_8);
    int from = page.indexOf(BEGIN) + BEGIN.length();
    int to = page.indexOf(END);
    assertTrue(from >= BEGIN.length() && to >= from, PAGE + " has no command reference between its markers");
    String reference = reference();
    if (Boolean.getBoolean("reference.write")) {
      page = page.substring(0, from) + reference + page.substring(to);
      Files.writeString(PAGE, page, StandardCharsets.UTF_8);
    }
    assertEquals(reference, page.substring(from, from + page.substring(from).indexOf(END)),
        PAGE + "'s command reference: run this test with -Dreference.write=true");
  }

  @Test
  void everyOptionAndSummaryOfTheReferenceIsInTheCommandsHelp() {
    for (CommandLine command : commands()) {
      String help = CliRun.ok(null, command.getCommandName(), "--help").replaceAll("\\s+", " ");
      for (String option : options(command.getCommandSpec())) {
        assertTrue(help.contains(option), command.getCommandName() + " --help lacks " + option);
      }
      assertTrue(help.contains(command.getCommandSpec().usageMessage().description()[0]), command.getCommandName());
    }
  }

  /** A table: the global options, then a row per command with its own arguments and options and its summary. */
  static String reference() {
    CommandLine root = root();
    StringBuilder out = new StringBuilder("| command | arguments and options | what it does |\n| --- | --- | --- |\n");
    out.append("| `imagetool` | ").append(cell(options(root.getCommandSpec()))).append(" | for every command: ")
        .append(escape(root.getCommandSpec().usageMessage().description()[0])).append(" |\n");
    for (CommandLine command : commands()) {
      CommandSpec spec = command.getCommandSpec();
      List<String> names = new ArrayList<>(List.of(spec.name()));
      names.addAll(List.of(spec.aliases()));
      List<String> arguments = new ArrayList<>();
      for (PositionalParamSpec p : spec.positionalParameters()) {
        String label = p.paramLabel() + (p.isMultiValue() ? "..." : "");
        arguments.add(p.arity().min() == 0 ? "[" + label + "]" : label);
      }
      arguments.addAll(options(spec));
      out.append("| ").append(cell(names)).append(" | ").append(cell(arguments)).append(" | ")
          .append(escape(spec.usageMessage().description()[0])).append(" |\n");
    }
    return out.toString();
  }

  private static CommandLine root() {
    PrintWriter none = new PrintWriter(new StringWriter());
    CommandLine root = new CommandLine(new ImageToolCommand(Map.of(), none, none));
    ImageToolCommand.addCommands(root, new String[0]);
    return root;
  }

  private static List<CommandLine> commands() {
    Set<CommandLine> distinct = new LinkedHashSet<>(root().getSubcommands().values());
    return List.copyOf(distinct);
  }

  /** A command's own options (not the inherited global ones, nor -h and -V), as {@code --help} names them. */
  private static List<String> options(CommandSpec spec) {
    List<String> out = new ArrayList<>();
    for (OptionSpec o : spec.options()) {
      if (o.inherited() || o.usageHelp() || o.versionHelp()) {
        continue;
      }
      String names = String.join(", ", o.names());
      out.add(o.arity().max() == 0 ? names : names + "=" + o.paramLabel());
    }
    return out;
  }

  private static String cell(List<String> items) {
    return String.join(" ", items.stream().map(i -> "`" + escape(i) + "`").toList());
  }

  private static String escape(String text) {
    return text.replace("|", "\\|");
  }
}
