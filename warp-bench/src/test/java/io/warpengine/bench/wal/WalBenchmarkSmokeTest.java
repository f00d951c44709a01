package io.warpengine.bench.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static io.warpengine.bench.ReportLines.assertQuotient;
import static io.warpengine.bench.ReportLines.number;
import static io.warpengine.bench.ReportLines.only;
import static io.warpengine.bench.ReportLines.report;

import io.warpengine.bench.workload.BenchArguments;
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
    String report = report(out -> WalBenchmark.run(new String[] {"dir=" + tmp, "seconds=0.2",
        "recovery=2000", "readMiB=4"}, out));

    List<String> policies = new ArrayList<>();
    for (String line : report.lines().toList()) {
      Matcher m = PUT_ROW.matcher(line);
      if (!m.matches()) {
        continue;
      }
      String policy = m.group(1);
      policies.add(policy + " " + m.group(2));
      assertTrue(number(m.group(3)) > 0 && number(m.group(8)) > 0, line);
      assertQuotient(m.group(3), m.group(8), m.group(9), line);
      boolean always = policy.equals("ALWAYS");
      assertEquals(always, !m.group(5).equals("-"), "a raw fsync rate for ALWAYS only: " + line);
      if (always) {
        assertQuotient(m.group(3), m.group(5), m.group(6).replace("x", ""), line);
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

    String read = only(READ, report).group(1);
    Matcher recovery = only(RECOVERY, report);
    assertEquals(2_000, number(recovery.group(1)), report);
    long replayed = (long) number(recovery.group(2));
    assertTrue(replayed >= 2_000, report);
    assertQuotient(recovery.group(5), read, recovery.group(6), report);
    assertTrue(number(recovery.group(7)) <= number(recovery.group(4)) + 0.01,
        "pauses within the open: " + report);
    Matcher alone = only(LOG_ALONE, report);
    assertEquals(replayed, (long) number(alone.group(1)), "the same records: " + report);
    assertQuotient(alone.group(2), read, alone.group(3), report);

    try (Stream<Path> left = Files.list(tmp)) {
      assertEquals(List.of(), left.toList(), "the run deletes what it wrote");
    }
  }

  @Test
  void badArgumentsAreRefusedBeforeAnythingIsWritten() throws Exception {
    for (String bad : List.of("seconds=0", "recovery=1000,-5", "readMiB=0", "readMiB=3",
        "speed=1")) {
      BenchArguments.Refused e = assertThrows(BenchArguments.Refused.class,
          () -> WalBenchmark.run(new String[] {"dir=" + tmp, bad}, System.out));
      assertTrue(e.getMessage().contains(bad.substring(0, bad.indexOf('='))), e.getMessage());
    }
    try (Stream<Path> left = Files.list(tmp)) {
      assertEquals(List.of(), left.toList());
    }
  }
}
