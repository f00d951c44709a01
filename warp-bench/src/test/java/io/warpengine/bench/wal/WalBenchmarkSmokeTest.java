package io.warpengine.bench.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The smoke run of {@code ./warp wal-bench}: 0.2 s per point, 2,000 puts to recover. It checks
 * that every row is there and that every ratio printed is the quotient of the figures printed
 * beside it (to the precision printed), so that no figure can come from anywhere but the run.
 */
class WalBenchmarkSmokeTest {

  private static final Pattern PUT_ROW = Pattern.compile("^(ALWAYS|PERIODIC\\(100 ms\\)|NONE)"
      + " +(\\d+) +([\\d,]+) +([\\d.]+)x +(-|[\\d,]+) +(-|[\\d.]+x) +(no fsync|[\\d,.]+)"
      + " +([\\d,]+) +([\\d.]+)x$");
  private static final Pattern READ = Pattern.compile(
      "^sequential read of a 4 MiB file \\(.*\\): ([\\d,]+) MiB/s$");
  private static final Pattern RECOVERY = Pattern.compile("^recovery of 2,000 puts: ([\\d,]+)"
      + " entries, ([\\d,]+) records replayed from ([\\d.]+) MiB in ([\\d.]+) s \\(Warp.open\\):"
      + " [\\d,]+ records/s, ([\\d,]+) MiB/s = ([\\d.]+)x the sequential read; ([\\d.]+) s of it"
      + " in garbage-collection pauses$");
  private static final Pattern LOG_ALONE = Pattern.compile("^  the log alone .*: ([\\d,]+)"
      + " records in [\\d.]+ s, ([\\d,]+) MiB/s = ([\\d.]+)x the sequential read$");

  @TempDir
  Path tmp;

  @Test
  void aShortRunPrintsEveryRowWithRatiosOfItsOwnFigures() throws Exception {
    String report = run("dir=" + tmp, "seconds=0.2", "recovery=2000", "readMiB=4");

    List<String> policies = new ArrayList<>();
    for (String line : report.lines().toList()) {
      Matcher m = PUT_ROW.matcher(line);
      if (!m.matches()) {
        continue;
      }
      String policy = m.group(1);
      policies.add(policy + " " + m.group(2));
      double puts = number(m.group(3));
      double rocks = number(m.group(8));
      assertTrue(puts > 0 && rocks > 0, line);
      assertClose(puts / rocks, number(m.group(9)), 0.005, line);
      boolean always = policy.equals("ALWAYS");
      assertEquals(always, !m.group(5).equals("-"), "a raw fsync rate for ALWAYS only: " + line);
      if (always) {
        double fsyncs = number(m.group(5));
        assertClose(puts / fsyncs, number(m.group(6).replace("x", "")), 0.05, line);
      }
      // PERIODIC syncs every 100 ms after the last sync ended: a 0.2 s point may see none end.
      if (!policy.startsWith("PERIODIC")) {
        assertEquals(policy.equals("NONE"), m.group(7).equals("no fsync"),
            "NONE never syncs, ALWAYS syncs each put: " + line);
      }
    }
    assertEquals(List.of("ALWAYS 1", "ALWAYS 8", "ALWAYS 64", "PERIODIC(100 ms) 1",
        "PERIODIC(100 ms) 8", "PERIODIC(100 ms) 64", "NONE 1", "NONE 8", "NONE 64"), policies,
        report);

    double read = number(only(READ, report).group(1));
    Matcher recovery = only(RECOVERY, report);
    assertEquals(2_000, number(recovery.group(1)), report);
    long replayed = (long) number(recovery.group(2));
    assertTrue(replayed >= 2_000, report);
    assertClose(number(recovery.group(5)) / read, number(recovery.group(6)), 0.005, report);
    assertTrue(number(recovery.group(7)) <= number(recovery.group(4)) + 0.01,
        "pauses within the open: " + report);
    Matcher alone = only(LOG_ALONE, report);
    assertEquals(replayed, (long) number(alone.group(1)), "the same records: " + report);
    assertClose(number(alone.group(2)) / read, number(alone.group(3)), 0.005, report);

    try (Stream<Path> left = Files.list(tmp)) {
      assertEquals(List.of(), left.toList(), "the run deletes what it wrote");
    }
  }

  @Test
  void badArgumentsAreRefusedBeforeAnythingIsWritten() throws Exception {
    for (String bad : List.of("seconds=0", "seconds=soon", "recovery=1000,-5", "readMiB=0",
        "speed=1")) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> run("dir=" + tmp, bad));
      assertTrue(e.getMessage().contains(bad.substring(0, bad.indexOf('='))), e.getMessage());
    }
    try (Stream<Path> left = Files.list(tmp)) {
      assertEquals(List.of(), left.toList());
    }
  }

  private static String run(String... args) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      WalBenchmark.run(args, out);
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static Matcher only(Pattern p, String report) {
    List<Matcher> found = report.lines().map(p::matcher).filter(Matcher::matches).toList();
    assertEquals(1, found.size(), p + " in\n" + report);
    return found.getFirst();
  }

  private static double number(String printed) {
    return Double.parseDouble(printed.replace(",", ""));
  }

  /** {@code printed} is {@code exact} to within {@code halfStep} (and the inputs' rounding). */
  private static void assertClose(double exact, double printed, double halfStep, String context) {
    assertTrue(Math.abs(exact - printed) <= halfStep + 1e-3 * Math.abs(exact) + 1e-9,
        "printed " + printed + ", the figures beside it give " + exact + ": " + context);
  }
}
