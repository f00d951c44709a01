package io.warpengine.bench.horizon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static io.warpengine.bench.ReportLines.all;
import static io.warpengine.bench.ReportLines.assertQuotient;
import static io.warpengine.bench.ReportLines.only;
import static io.warpengine.bench.ReportLines.report;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The smoke run of {@code ./warp horizon-bench}: 8 MiB of values through a 1 MiB budget, one
 * second per read workload. The benchmark itself checks every value it reads; this checks that
 * the values really went beyond the horizon and came back from disk, and that the ratio it
 * prints is the quotient of the two throughputs it printed.
 */
class HorizonBenchmarkSmokeTest {

  private static final Pattern AFTER_LOAD = Pattern.compile("^  after load: 2048 entries, 8 MiB of"
      + " values, (\\d+) MiB beyond the horizon, (\\d+) MiB inside; .*$");
  private static final Pattern CHECKED = Pattern.compile(
      "^read back and checked all 2048 values: .*, (\\d+) disk loads$");
  private static final Pattern READS = Pattern.compile(
      "^(zipf\\(0\\.99\\)|uniform) +([\\d,]+) reads/s \\(\\d+ reads in [\\d.]+ s\\), ([\\d.]+)%"
          + " from disk$");
  private static final Pattern RATIO = Pattern.compile(
      "^zipf / uniform read throughput: ([\\d.]+)$");

  @Test
  void valuesGoBeyondTheBudgetAndTheRatioIsOfTheRunsOwnFigures() throws Exception {
    String report = report(out -> HorizonBenchmark.run(new String[] {"totalMiB=8",
        "budgetMiB=1", "valueBytes=4096", "threads=2", "seconds=1"}, out));

    Matcher load = only(AFTER_LOAD, report);
    int beyond = Integer.parseInt(load.group(1));
    int inside = Integer.parseInt(load.group(2));
    assertTrue(inside <= 1 && beyond >= 6, "a 1 MiB budget keeps at most 1 MiB inside: " + report);
    assertTrue(Long.parseLong(only(CHECKED, report).group(1)) > 0,
        "reading every value back loads those beyond from disk: " + report);

    List<Matcher> reads = all(READS, report);
    assertEquals(List.of("zipf(0.99)", "uniform"), reads.stream().map(m -> m.group(1)).toList(),
        report);
    for (Matcher m : reads) {
      double fromDisk = Double.parseDouble(m.group(3));
      assertTrue(fromDisk > 0 && fromDisk <= 100, m.group());
    }
    assertQuotient(reads.get(0).group(2), reads.get(1).group(2), only(RATIO, report).group(1),
        report);
  }
}
