package com.example.gsping.imagetool.cli;

import com.example.gsping.imagetool.image.Digests;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import picocli.CommandLine;

/** Entry point: {@code java -jar docker-gs-ping-imagetool.jar COMMAND ...} (see jib/imagetool). */
public final class ImageToolMain {
  private ImageToolMain() {}

  public static void main(String[] args) {
    startSecurityProviders();
    int code = run(args, System.getenv(), System.out, System.err);
    stopHttpSelectors();
    System.exit(code);
  }

  /**
   * The first SHA-256 digest starts the JDK's security providers (15-20 ms); nearly every command
   * takes one, so a daemon thread does that while picocli reads the command line.
   */
  private static void startSecurityProviders() {
    Thread warmUp = new Thread(Digests::newSha256, "security-providers");
    warmUp.setDaemon(true);
    warmUp.start();
  }

  /**
   * The JVM's exit waits up to 300 ms for threads still in native code, and each of the JDK's
   * HttpClients keeps one there (its selector thread, in epoll_wait) until it is closed, which Java
   * 17 cannot do. Interrupted, that thread leaves its loop and closes the client's connections.
   */
  private static void stopHttpSelectors() {
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().startsWith("HttpClient-") && t.getName().endsWith("-SelectorManager")) {
        t.interrupt();
        try {
          t.join(100);
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  /** Runs one command; returns the exit code (0 ok, 1 failure, 2 usage error). */
  public static int run(String[] args, Map<String, String> env, PrintStream stdout, PrintStream stderr) {
    PrintWriter out = new PrintWriter(new java.io.OutputStreamWriter(stdout, StandardCharsets.UTF_8), true);
    PrintWriter err = new PrintWriter(new java.io.OutputStreamWriter(stderr, StandardCharsets.UTF_8), true);
    ImageToolCommand root = new ImageToolCommand(env, out, err);
    CommandLine cli = new CommandLine(root);
    ImageToolCommand.addCommands(cli, args);
    cli.setOut(out);
    cli.setErr(err);
    cli.setExecutionExceptionHandler(new FailureReporter(root));
    cli.setParameterExceptionHandler(new UsageErrorReporter());
    int code = cli.execute(args);
    out.flush();
    err.flush();
    return code;
  }
}
