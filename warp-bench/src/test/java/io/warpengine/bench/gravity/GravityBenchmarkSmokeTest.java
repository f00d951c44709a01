package io.warpengine.bench.gravity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static io.warpengine.bench.ReportLines.all;
import static io.warpengine.bench.ReportLines.assertQuotient;
import static io.warpengine.bench.ReportLines.number;
import static io.warpengine.bench.ReportLines.only;
import static io.warpengine.bench.ReportLines.report;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The smoke run of {@code ./warp gravity-bench}: 0.1 s per measurement, 100 wormholes, 1,000
 * centres, 50 moves. It checks what the run must get right whatever the machine (every
 * wormhole open, no key lost or misread while centres move) and that each printed ratio is the
 * quotient of the figures printed beside it.
 */
class GravityBenchmarkSmokeTest {

  private static final Pattern WORMHOLES = Pattern.compile(
      "^1\\. Routing, one thread, keys user:\\{cN\\}:fM over 200 centres, (\\d+) of them with an"
          + " open wormhole$");
  private static final Pattern ROUTE = Pattern.compile("^ +([\\d,]+) keys: gravity route\\(\\)"
      + " +[\\d,]+ routes per CPU-second; target 50,000,000; ([\\d,]+) per wall-clock second,"
      + " ([\\d,]+)x the original's claimed ([\\d,]+)$");
  private static final Pattern VIEW = Pattern.compile("^ +([\\d,]+) keys: through"
      + " ShardView\\.shardOf, per CPU-second: gravity +([\\d,]+), hash router +([\\d,]+): ratio"
      + " ([\\d.]+)$");
  private static final Pattern BOUND = Pattern.compile(
      "^ +no router can do better than +max/mean ([\\d.]+) .*$");
  private static final Pattern MOVES = Pattern.compile(
      "^ +50 moves \\(([\\d,]+) keys\\) in [\\d.]+ s: [\\d,]+ moves/s$");
  private static final Pattern ERRORS = Pattern.compile("^ +errors: (\\d+) \\(.*\\), (\\d+) keys"
      + " missing at the end, (\\d+) entries in the shards for (\\d+) keys$");

  @Test
  void aShortRunKeepsEveryKeyAndPrintsRatiosOfItsOwnFigures() throws Exception {
    String report = report(out -> GravityBenchmark.run(new String[] {"seconds=0.1",
        "wormholes=100", "centres=1000", "zipfOps=20000", "moves=50"}, out));

    assertEquals("100", only(WORMHOLES, report).group(1), "closeBelow=0 keeps all open");
    List<Matcher> routes = all(ROUTE, report);
    List<Matcher> views = all(VIEW, report);
    assertEquals(List.of("4,096", "262,144"), routes.stream().map(m -> m.group(1)).toList());
    assertEquals(List.of("4,096", "262,144"), views.stream().map(m -> m.group(1)).toList());
    // the original's claim is per wall-clock second: compared with the wall-clock rate
    for (Matcher m : routes) {
      assertQuotient(m.group(2), m.group(4), m.group(3), m.group());
    }
    for (Matcher m : views) {
      assertQuotient(m.group(2), m.group(3), m.group(4), m.group());
    }
    assertTrue(number(only(BOUND, report).group(1)) >= 1, report);

    assertEquals(200, number(only(MOVES, report).group(1)), "4 keys a centre: " + report);
    Matcher errors = only(ERRORS, report);
    assertEquals("0", errors.group(1), "no read missed or misread a key: " + report);
    assertEquals("0", errors.group(2), "no key lost: " + report);
    assertEquals(errors.group(4), errors.group(3), "one entry per key: " + report);
  }
}
