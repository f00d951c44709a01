package io.warpengine.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Starts a test's {@code main} class in a child JVM, to be killed with SIGKILL by a crash test.
 * Under surefire on the module path the child gets the same module path with the test classes
 * patched into {@code module}; on the class path, the same class path. Small heap, quick
 * start-up, quiet logging; the child's standard error is appended to {@code errorLog}.
 */
public final class ChildJvm {

  private ChildJvm() {}

  public static Process start(Class<?> mainClass, String module, List<String> args, Path errorLog)
      throws IOException {
    Path testClasses;
    try {
      testClasses = Path.of(mainClass.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IOException("cannot locate the classes of " + mainClass.getName(), e);
    }
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> cmd = new ArrayList<>(List.of(java, "-Xmx96m", "-XX:TieredStopAtLevel=1",
        "-XX:+UseSerialGC", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"));
    String modulePath = System.getProperty("jdk.module.path");
    if (modulePath != null) {
      cmd.addAll(List.of("--module-path", modulePath, "--patch-module", module + "=" + testClasses,
          "--add-modules", "ALL-MODULE-PATH", "-m", module + "/" + mainClass.getName()));
    } else {
      cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass.getName()));
    }
    cmd.addAll(args);
    return new ProcessBuilder(cmd)
        .redirectError(ProcessBuilder.Redirect.appendTo(errorLog.toFile()))
        .start();
  }

  /**
   * Reads {@code wanted} acknowledgements (one integer per line) from {@code child}, kills it
   * with SIGKILL, and reads what it printed before it died.
   *
   * @param lastAck what to return if the child acknowledged nothing
   * @return the last integer the child printed
   */
  public static int killAfterAcks(Process child, int wanted, int lastAck, Path errorLog)
      throws IOException, InterruptedException {
    int[] last = {lastAck};
    killAfterLines(child, wanted, line -> last[0] = Integer.parseInt(line.strip()), errorLog);
    return last[0];
  }

  /**
   * Hands {@code wanted} lines of {@code child}'s output to {@code line}, kills the child with
   * SIGKILL, and hands over the lines it printed before it died. The child is killed whatever
   * happens, also when a line is refused or the child stops early: no test leaves one running.
   */
  public static void killAfterLines(Process child, int wanted, Consumer<String> line,
      Path errorLog) throws IOException, InterruptedException {
    try (BufferedReader lines = new BufferedReader(
        new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      for (int n = 0; n < wanted; n++) {
        String l = lines.readLine();
        if (l == null) {
          throw new IllegalStateException("the child stopped early; see " + errorLog);
        }
        line.accept(l);
      }
      child.toHandle().destroyForcibly(); // SIGKILL; unlike Process's, keeps the pipe readable
      if (!child.waitFor(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the child did not die within 30 s of SIGKILL");
      }
      for (String l; (l = lines.readLine()) != null; ) {
        line.accept(l);
      }
    } finally {
      child.toHandle().destroyForcibly();
    }
  }
}
