package com.example.gsping.imagetool.cli;

import com.example.gsping.imagetool.ImageToolException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;

/**
 * Prints a failed command's cause as one line, {@code imagetool: CAUSE}, and exits 1 (2 for
 * {@code diff}, whose 1 means "they differ"). The stack trace only with {@code --debug}.
 */
final class FailureReporter implements CommandLine.IExecutionExceptionHandler {
  private final ImageToolCommand root;

  FailureReporter(ImageToolCommand root) {
    this.root = root;
  }

  @Override
  public int handleExecutionException(Exception ex, CommandLine cmd, CommandLine.ParseResult parseResult) {
    cmd.getErr().println("imagetool: " + describe(ex));
    if (root.debug()) {
      ex.printStackTrace(cmd.getErr());
    }
    cmd.getErr().flush();
    return cmd.getCommandSpec().exitCodeOnExecutionException();
  }

  static String describe(Throwable ex) {
    Throwable t = ex;
    if (t instanceof UncheckedIOException && t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof ImageToolException) {
      return t.getMessage();
    }
    if (t instanceof NoSuchFileException e) {
      return "no such file or directory: " + e.getFile();
    }
    if (t instanceof AccessDeniedException e) {
      return "permission denied: " + e.getFile();
    }
    if (t instanceof IOException) {
      String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
      return "I/O error: " + message;
    }
    return "internal error: " + t + " (run with --debug for details)";
  }
}
