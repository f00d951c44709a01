package io.warpengine.bench.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warpengine.Warp;
import io.warpengine.WarpOptions;
import io.warpengine.api.WarpEngine;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@code warp demo} in-process with tiny sizes and checks that every figure it printed
 * agrees with the others: the ops asked for, the workload's tallies, the engine's counters,
 * the per-shard rows and their totals, the elapsed time and the throughput.
 */
class DemoCommandTest {

  private static final int OPS = 30_000;

  @TempDir
  Path dir;

  @Test
  void printedFiguresAgreeWithEachOtherAndWithTheEngine() {
    Run run = demo("--dir", dir.toString(), "--ops", Integer.toString(OPS), "--threads", "2",
        "--keys", "500", "--value-size", "16", "--distribution", "zipf");
    assertEquals(0, run.exitCode, run.output);

    long gets = run.figure("^  get +([\\d,]+)");
    long hits = run.figure("^  get .*hits ([\\d,]+)");
    long misses = run.figure("^  get .*misses ([\\d,]+)");
    long puts = run.figure("^  put +([\\d,]+)");
    long deletes = run.figure("^  delete +([\\d,]+)");
    long removed = run.figure("^  delete .*removed ([\\d,]+)");
    long doneOps = run.figure("^Done: ([\\d,]+) ops");
    assertEquals(OPS, doneOps);
    assertEquals(OPS, gets + puts + deletes);
    assertEquals(gets, hits + misses);

    long[] all = run.row("all");
    assertEquals(run.figure("^  stored now +([\\d,]+) keys"), all[0], "entries");
    assertEquals(16 * all[0], all[1], "value bytes: every value is 16 bytes");
    assertEquals(gets, all[2], "reads");
    assertEquals(misses, all[3], "misses");
    assertEquals(puts, all[4], "writes");
    assertEquals(removed, all[5], "deletes");
    assertTrue(run.output.contains("Check: the engine's reads, misses, writes and deletes equal"
        + " the workload's tallies."), run.output);

    int shards = Math.toIntExact(run.figure("^  engine +(\\d+) shards"));
    long[] sum = new long[all.length];
    for (int shard = 0; shard < shards; shard++) {
      long[] row = run.row(Integer.toString(shard));
      Arrays.setAll(sum, i -> sum[i] + row[i]);
    }
    assertEquals(Arrays.toString(all), Arrays.toString(sum), "shard rows add up to the totals");

    Matcher done = run.find("^Done: [\\d,]+ ops in ([\\d.]+) s = ([\\d,]+) ops/s");
    double seconds = Double.parseDouble(done.group(1));
    double rate = number(done.group(2));
    // The elapsed time is printed rounded to the millisecond.
    double slowest = OPS / (seconds + 0.0005);
    double fastest = OPS / Math.max(1e-9, seconds - 0.0005);
    assertTrue(rate >= slowest - 1 && rate <= fastest + 1,
        "ops/s " + rate + " is ops / elapsed " + seconds + " s");
  }

  @Test
  void aSecondRunFindsTheFirstRunsKeysOnlyWhenTheEngineIsDurable() {
    String[] args = {"--dir", dir.toString(), "--ops", "2000", "--threads", "1", "--keys", "100"};
    Run first = demo(args);
    Run second = demo(args);
    assertEquals(0, first.figure("^  found stored +([\\d,]+) keys"));
    boolean durable = first.find("^  durability +(.*)$").group(1).startsWith("durable");
    long expected = durable ? first.figure("^  stored now +([\\d,]+) keys") : 0;
    assertEquals(expected, second.figure("^  found stored +([\\d,]+) keys"), second.output);
    if (!durable) {
      assertTrue(first.output.contains("in memory: the warp-wal module is not present, data is"
          + " not kept"), first.output);
    }
  }

  @Test
  void rejectsAMixOverOneHundredPercent() {
    Run run = demo("--dir", dir.toString(), "--get-percent", "90", "--delete-percent", "20");
    assertEquals(2, run.exitCode);
    assertTrue(run.errors.contains("add up to at most 100"), run.errors);
  }

  @Test
  void aDataDirectoryThatIsAFileIsNamedInOneLineAndLeftAlone() throws Exception {
    Path file = Files.writeString(dir.resolve("not-a-directory"), "mine");
    Run run = demo("--dir", file.toString(), "--ops", "10");
    assertEquals(1, run.exitCode, run.errors);
    assertTrue(run.errors.startsWith("warp demo: cannot use data directory " + file), run.errors);
    assertFalse(run.errors.contains("\tat "), "no stack trace: " + run.errors);
    assertEquals("mine", Files.readString(file));
  }

  @Test
  void aDataDirectoryInUseByAnotherEngineIsRefusedInOneLine() {
    try (WarpEngine other = Warp.open(WarpOptions.builder().dataDirectory(dir).build())) {
      other.put("k", new byte[] {1});
      Run run = demo("--dir", dir.toString(), "--ops", "10");
      assertEquals(1, run.exitCode, run.errors);
      assertTrue(run.errors.startsWith("warp demo: data directory " + dir + " is in use by another"
          + " open Warp engine"), run.errors);
      assertArrayEquals(new byte[] {1}, other.get("k"));
      assertEquals(1, other.metrics().entries(), "the refused run wrote nothing");
    }
  }

  private static Run demo(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exitCode = WarpCommand.commandLine()
        .setOut(new PrintWriter(out, true))
        .setErr(new PrintWriter(err, true))
        .execute(concat("demo", args));
    return new Run(exitCode, out.toString(), err.toString());
  }

  private static String[] concat(String first, String... rest) {
    String[] all = new String[rest.length + 1];
    all[0] = first;
    System.arraycopy(rest, 0, all, 1, rest.length);
    return all;
  }

  private static long number(String digits) {
    return Long.parseLong(digits.replace(",", ""));
  }

  private record Run(int exitCode, String output, String errors) {
    Matcher find(String regex) {
      Matcher m = Pattern.compile(regex, Pattern.MULTILINE).matcher(output);
      assertTrue(m.find(), "no line matches " + regex + " in:\n" + output);
      return m;
    }

    long figure(String regex) {
      return number(find(regex).group(1));
    }

    /** The figures of the metrics table's row labelled {@code label}. */
    long[] row(String label) {
      String line = find("^ +" + Pattern.quote(label) + "((?: +[\\d,]+){6})$").group(1);
      List<String> cells = Arrays.stream(line.trim().split(" +")).toList();
      return cells.stream().mapToLong(DemoCommandTest::number).toArray();
    }
  }
}
