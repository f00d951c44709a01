package io.warpengine.bench.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warpengine.bench.compare.Comparison.Result;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The smoke run of {@code warp bench}: every store, every default workload, two thread counts,
 * tiny sizes. The three outputs must exist and agree with the figures the run measured: the JSON
 * parses and writes back to the same text, its numbers are the run's, the HTML carries the same
 * document and one bar per result, the terminal table prints the same ratios.
 */
class CompareCommandTest {

  private static final int KEYS = 300;
  private static final int EVERY = 4;
  private static final int ROUNDS = 2;

  @TempDir
  Path tmp;

  @Test
  @SuppressWarnings("unchecked")
  void aTinyRunWritesTheTableTheJsonAndTheHtmlFromItsOwnFigures() throws Exception {
    CompareCommand command = new CompareCommand();
    Path out = tmp.resolve("report");
    Run run = run(command, "--keys", Integer.toString(KEYS), "--value-size", "32",
        "--threads", "1,2", "--warmup-ms", "10", "--slice-ms", "40", "--rounds",
        Integer.toString(ROUNDS), "--latency-every", Integer.toString(EVERY), "--dir",
        tmp.resolve("data").toString(), "--out", out.toString());
    assertEquals(0, run.exit, run.output);

    List<Result> results = command.results();
    assertEquals(2 * 3 * Contender.values().length, results.size());
    for (Result r : results) {
      assertTrue(r.ops() > 0, r.toString());
      assertEquals(0, r.misses(), r.toString());
      int slices = r.threads() * ROUNDS;
      assertTrue(r.latencySamples() >= r.ops() / EVERY
          && r.latencySamples() <= r.ops() / EVERY + slices, r.toString());
      assertTrue(r.p50Micros() <= r.p99Micros() && r.p99Micros() <= r.p999Micros()
          && r.p999Micros() <= r.maxMicros(), r.toString());
    }
    assertFalse(Files.exists(tmp.resolve("data")) && Files.list(tmp.resolve("data"))
        .findAny().isPresent(), "the stores' files are deleted");

    String jsonText = Files.readString(command.jsonFile());
    Map<String, Object> json = (Map<String, Object>) Json.parse(jsonText);
    assertEquals(jsonText, Json.write(json), "the JSON round-trips");
    List<Map<String, Object>> jsonResults = (List<Map<String, Object>>) json.get("results");
    assertEquals(results.size(), jsonResults.size());
    for (int i = 0; i < results.size(); i++) {
      Result r = results.get(i);
      Map<String, Object> j = jsonResults.get(i);
      assertEquals(r.store().id(), j.get("store"));
      assertEquals(r.workload(), j.get("workload"));
      assertEquals((long) r.threads(), j.get("threads"));
      assertEquals(r.ops(), j.get("ops"));
      assertEquals(r.opsPerSecond(), j.get("opsPerSecond"));
      Map<String, Object> latency = (Map<String, Object>) j.get("latencyMicros");
      assertEquals(r.latencySamples(), latency.get("samples"));
      assertEquals(r.p99Micros(), ((Number) latency.get("p99")).doubleValue());
    }
    List<Map<String, Object>> ratios = (List<Map<String, Object>>) json.get("ratios");
    assertEquals(2 * 3 * Contender.PAIRS.size(), ratios.size());
    for (Map<String, Object> ratio : ratios) {
      double warp = opsPerSecond(jsonResults, ratio, "warp");
      double other = opsPerSecond(jsonResults, ratio, "other");
      assertEquals(warp / other, (Double) ratio.get("ratio"), 1e-12);
      String printed = String.format(Locale.ROOT, "%,.0f %,.0f %.2f", warp, other, warp / other);
      assertTrue(run.output.replaceAll(" +", " ").contains(printed), printed + "\n" + run.output);
      boolean coreGet = ratio.get("workload").equals("get") && ratio.get("warp").equals("warp-core")
          && ratio.get("other").equals("map");
      if (coreGet) {
        assertEquals(0.8, ratio.get("target"));
      }
      if (ratio.get("target") != null) {
        assertEquals((Double) ratio.get("ratio") >= (Double) ratio.get("target"), ratio.get("met"));
      }
    }

    assertEquals(2 * Report.TARGETS.size(),
        ratios.stream().filter(r -> r.get("target") != null).count(), "each target, per thread count");

    String html = Files.readString(command.htmlFile());
    Matcher data = Pattern.compile("<script type=\"application/json\" id=\"warp-bench-data\">\n"
        + "(.*?)</script>", Pattern.DOTALL).matcher(html);
    assertTrue(data.find(), "the page carries the JSON document");
    assertEquals(jsonText, data.group(1));
    assertEquals(results.size(), count(html, "ops/s</title></rect>"), "a throughput bar each");
    assertEquals(4 * results.size(), count(html, " µs</title></rect>"), "4 latency bars each");
    assertFalse(html.contains("src=") || html.contains("href="), "self-contained");
    assertTrue(run.output.contains("HTML report: " + command.htmlFile().toAbsolutePath()));
  }

  @Test
  void anUnknownStoreIsRejectedByNameAndNothingIsWritten() throws Exception {
    Path out = tmp.resolve("report");
    Run run = run(new CompareCommand(), "--stores", "map,redis", "--out", out.toString());
    assertEquals(2, run.exit);
    assertTrue(run.errors.contains("unknown store 'redis'; expected one of [warp-core,"),
        run.errors);
    assertFalse(Files.exists(out));
  }

  @Test
  void aReportDirectoryThatCannotBeMadeIsRefusedBeforeTheRun() throws Exception {
    Path file = Files.writeString(tmp.resolve("a-file"), "mine");
    Path out = file.resolve("report");
    Run run = run(new CompareCommand(), "--stores", "map", "--keys", "10", "--out",
        out.toString());
    assertEquals(2, run.exit);
    assertTrue(run.errors.startsWith("--out " + out + ": cannot make the report's directory"),
        run.errors);
    assertEquals("", run.output, "nothing measured");
    assertEquals("mine", Files.readString(file));
  }

  private static double opsPerSecond(List<Map<String, Object>> results, Map<String, Object> ratio,
                                     String side) {
    return results.stream().filter(r -> r.get("store").equals(ratio.get(side))
            && r.get("workload").equals(ratio.get("workload"))
            && r.get("threads").equals(ratio.get("threads")))
        .mapToDouble(r -> (Double) r.get("opsPerSecond")).findFirst().orElseThrow();
  }

  private static int count(String text, String part) {
    int n = 0;
    for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
      n++;
    }
    return n;
  }

  private record Run(int exit, String output, String errors) {}

  private static Run run(CompareCommand command, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream stdout = System.out;
    PrintStream stderr = System.err;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    int exit;
    try {
      exit = new CommandLine(command).execute(args);
    } finally {
      System.setOut(stdout);
      System.setErr(stderr);
    }
    return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
