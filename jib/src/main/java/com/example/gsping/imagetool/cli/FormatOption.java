package com.example.gsping.imagetool.cli;

import picocli.CommandLine.Option;

/** The {@code --format} option of the listing commands. */
final class FormatOption {
  @Option(names = "--format", paramLabel = "table|json", defaultValue = "table",
      description = "Output format: table (default) or json.")
  OutputFormat format = OutputFormat.table;
}
