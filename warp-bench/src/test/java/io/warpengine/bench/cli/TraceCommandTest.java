package io.warpengine.bench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code warp trace} on the hand-worked loop trace of {@code TraceReplayTest}. */
class TraceCommandTest {

  private static String[] run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = WarpCommand.commandLine().setOut(new PrintWriter(out, true))
        .setErr(new PrintWriter(err, true)).execute(args);
    return new String[] {Integer.toString(exit), out.toString(), err.toString()};
  }

  @Test
  void printsTheThreeHitRatesSideBySide(@TempDir Path dir) throws IOException {
    Path trace = dir.resolve("loop4.trace");
    Files.writeString(trace, "1\n2\n3\n4\n1\n2\n3\n4\n1\n2\n3\n4\n");
    String[] r = run("trace", trace.toString(), "--size", "3");
    assertEquals("0", r[0], r[2]);
    // 4 hits of 12 for Warp and Caffeine, none for LRU (see TraceReplayTest).
    assertTrue(r[1].contains("loop4                       3        12    33.33     33.33     0.00     +0.00     +0.00"),
        r[1]);
    assertTrue(r[1].contains("Worst margin: +0.00 points against Caffeine"), r[1]);
  }

  @Test
  void badArgumentsAreNamed(@TempDir Path dir) {
    String[] noFile = run("trace", dir.resolve("missing.trace").toString(), "--size", "3");
    assertEquals("2", noFile[0]);
    assertTrue(noFile[2].contains("no trace file at"), noFile[2]);
    String[] badSize = run("trace", "x", "--size", "0");
    assertEquals("2", badSize[0]);
    assertTrue(badSize[2].contains("--size must be at least 1, was 0"), badSize[2]);
  }
}
