package io.warpengine.bench.cli;

import io.warpengine.api.MetricsSnapshot;
import io.warpengine.Warp;
import io.warpengine.api.WarpEngine;
import io.warpengine.WarpOptions;
import io.warpengine.bench.workload.Distribution;
import io.warpengine.bench.workload.KeySpace;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code warp demo}: opens an engine on a data directory, says what it found stored there and
 * whether it keeps data, runs a short mixed workload ({@link DemoWorkload}) with a progress line
 * rewritten in place, then reports what the workload did and what the engine counted.
 *
 * <p>Every figure printed comes from a counter or a clock: the workload's own tallies,
 * {@code System.nanoTime()}, {@code engine.size()} and {@code engine.metrics()}. The workload's
 * tallies and the engine's counters are independent records of the same run, so the report
 * compares them and says whether they agree.
 */
@Command(name = "demo", sortOptions = false, showDefaultValues = true,
    description = "Open an engine on a data directory, run a short mixed workload, report.")
final class DemoCommand implements Callable<Integer> {

  @Spec
  private CommandSpec spec;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
  private boolean help;

  @Option(names = "--dir", description = "Data directory.")
  private Path dir = Path.of("warp-data");

  @Option(names = "--ops", description = "Operations to run, in total.")
  private long ops = 15_000_000;

  @Option(names = "--threads", description = "Worker threads (default: one per core).")
  private int threads = Runtime.getRuntime().availableProcessors();

  @Option(names = "--keys", description = "Distinct keys the workload uses.")
  private int keys = 100_000;

  @Option(names = "--value-size", description = "Bytes per value written.")
  private int valueSize = 100;

  @Option(names = "--distribution", description = "Key distribution: ${COMPLETION-CANDIDATES}.")
  private Distribution distribution = Distribution.UNIFORM;

  @Option(names = "--get-percent", description = "Share of gets, in percent.")
  private int getPercent = 70;

  @Option(names = "--delete-percent",
      description = "Share of deletes, in percent; puts take the rest.")
  private int deletePercent = 5;

  @Option(names = "--seed", description = "Seed of the workload's random choices.")
  private long seed = 42;

  @Override
  public Integer call() throws InterruptedException {
    DemoWorkload.Mix mix = checkedOptions();
    PrintWriter out = spec.commandLine().getOut();
    Path directory = dir.toAbsolutePath().normalize();
    WarpOptions options = WarpOptions.builder().dataDirectory(directory).build();
    String mismatches;
    try (WarpEngine engine = Warp.open(options)) {
      out.printf(Locale.ROOT, "Warp demo on %s%n", directory);
      out.printf(Locale.ROOT, "  found stored      %,d keys%n", engine.size());
      out.printf(Locale.ROOT, "  durability        %s%n", durability(engine, options));
      MetricsSnapshot before = engine.metrics();
      out.printf(Locale.ROOT, "  engine            %d shards, plugins: %s%n",
          before.shardMetrics().size(),
          engine.pluginNames().isEmpty() ? "none" : String.join(", ", engine.pluginNames()));
      out.printf(Locale.ROOT, "Workload: %,d ops on %d threads, %,d keys (%s), %d-byte values,"
              + " %d%% get / %d%% put / %d%% delete, seed %d%n", ops, threads, keys,
          distribution.name().toLowerCase(Locale.ROOT), valueSize, mix.getPercent(),
          mix.putPercent(), mix.deletePercent(), seed);
      out.flush();

      DemoWorkload workload = new DemoWorkload(engine, new KeySpace(keys),
          distribution.over(keys), mix, valueSize);
      ProgressLine progress = new ProgressLine(out, ops);
      DemoWorkload.Result result = workload.run(ops, threads, seed, progress::show);
      progress.finish(result.tally().ops(), result.elapsedNanos());

      MetricsSnapshot after = engine.metrics();
      printResult(out, result);
      out.printf(Locale.ROOT, "  stored now        %,d keys%n", engine.size());
      out.println();
      MetricsReport.print(out, after);
      out.println();
      mismatches = mismatches(result.tally(), before, after);
      out.println(mismatches.isEmpty()
          ? "Check: the engine's reads, misses, writes and deletes equal the workload's tallies."
          : "Check FAILED: the engine's counters differ from the workload's tallies:" + mismatches);
      out.flush();
    }
    return mismatches.isEmpty() ? 0 : 1;
  }

  private DemoWorkload.Mix checkedOptions() {
    if (ops < 1) {
      throw badOption("--ops must be at least 1, was " + ops);
    }
    if (threads < 1) {
      throw badOption("--threads must be at least 1, was " + threads);
    }
    if (keys < 1) {
      throw badOption("--keys must be at least 1, was " + keys);
    }
    if (valueSize < 0 || valueSize > WarpOptions.DEFAULT_MAX_VALUE_BYTES) {
      throw badOption("--value-size must be from 0 to " + WarpOptions.DEFAULT_MAX_VALUE_BYTES
          + ", was " + valueSize);
    }
    try {
      return new DemoWorkload.Mix(getPercent, deletePercent);
    } catch (IllegalArgumentException e) {
      throw badOption(e.getMessage());
    }
  }

  private ParameterException badOption(String message) {
    return new ParameterException(spec.commandLine(), message);
  }

  private static String durability(WarpEngine engine, WarpOptions options) {
    return engine.isDurable()
        ? "durable: writes are journaled in the data directory, sync policy " + options.syncPolicy()
        : "in memory: the warp-wal module is not present, data is not kept";
  }

  private static void printResult(PrintWriter out, DemoWorkload.Result result) {
    DemoWorkload.Tally t = result.tally();
    double seconds = result.elapsedNanos() / 1e9;
    out.printf(Locale.ROOT, "Done: %,d ops in %.3f s = %,.0f ops/s%n", t.ops(), seconds,
        t.ops() / seconds);
    out.printf(Locale.ROOT, "  get     %,13d   hits %,d, misses %,d%n", t.gets(), t.hits(),
        t.gets() - t.hits());
    out.printf(Locale.ROOT, "  put     %,13d%n", t.puts());
    out.printf(Locale.ROOT, "  delete  %,13d   removed %,d, absent %,d%n", t.deletes(),
        t.removed(), t.deletes() - t.removed());
  }

  /**
   * Where the engine's counters did not move exactly as the workload's tallies say they should;
   * empty if they all did.
   */
  private static String mismatches(DemoWorkload.Tally t, MetricsSnapshot before,
      MetricsSnapshot after) {
    StringBuilder mismatches = new StringBuilder();
    compare(mismatches, "reads", t.gets(), after.reads() - before.reads());
    compare(mismatches, "misses", t.gets() - t.hits(), after.misses() - before.misses());
    compare(mismatches, "writes", t.puts(), after.writes() - before.writes());
    compare(mismatches, "deletes", t.removed(), after.deletes() - before.deletes());
    return mismatches.toString();
  }

  private static void compare(StringBuilder mismatches, String counter, long expected,
      long counted) {
    if (expected != counted) {
      mismatches.append(String.format(Locale.ROOT, " %s %,d counted, %,d expected;", counter,
          counted, expected));
    }
  }

  /** The progress display: one line rewritten with {@code \r}, showing ops done and ops/s now. */
  private static final class ProgressLine {
    private final PrintWriter out;
    private final long total;
    private long lastOps;
    private long lastNanos;
    private int width;

    ProgressLine(PrintWriter out, long total) {
      this.out = out;
      this.total = total;
    }

    void show(long opsDone, long elapsedNanos) {
      double rate = (opsDone - lastOps) * (double) TimeUnit.SECONDS.toNanos(1)
          / Math.max(1, elapsedNanos - lastNanos);
      lastOps = opsDone;
      lastNanos = elapsedNanos;
      rewrite(String.format(Locale.ROOT, "  %,d of %,d ops (%d%%), now %,.0f ops/s", opsDone,
          total, opsDone * 100 / total, rate));
    }

    void finish(long opsDone, long elapsedNanos) {
      rewrite(String.format(Locale.ROOT, "  %,d of %,d ops in %.3f s", opsDone, total,
          elapsedNanos / 1e9));
      out.println();
      out.flush();
    }

    private void rewrite(String line) {
      out.print('\r');
      out.print(line);
      out.print(" ".repeat(Math.max(0, width - line.length())));
      out.flush();
      width = line.length();
    }
  }
}
