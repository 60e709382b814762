package com.example.gsping.imagetool.cli;

import picocli.CommandLine;

/** A usage error: what was wrong, where to read more, exit 2 (as the docker CLI does). */
final class UsageErrorReporter implements CommandLine.IParameterExceptionHandler {
  @Override
  public int handleParseException(CommandLine.ParameterException ex, String[] args) {
    CommandLine cmd = ex.getCommandLine();
    cmd.getErr().println("imagetool: " + ex.getMessage());
    cmd.getErr().println("See '" + cmd.getCommandSpec().qualifiedName() + " --help'.");
    cmd.getErr().flush();
    return cmd.getCommandSpec().exitCodeOnInvalidInput();
  }
}
