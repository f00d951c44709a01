package io.warpengine.bench.cli;

import io.warpengine.bench.trace.TraceFormat;
import io.warpengine.bench.trace.TraceReplay;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code warp trace}: replays key-access traces through Warp's event horizon, Caffeine and an
 * LRU of the same capacity ({@link TraceReplay}) and prints the three hit rates side by side,
 * with Warp's margin over Caffeine and over the better of the two.
 */
@Command(name = "trace", sortOptions = false, showDefaultValues = true,
    description = "Replay key-access traces through Warp's event horizon, Caffeine and an LRU.")
final class TraceCommand implements Callable<Integer> {

  @Spec
  private CommandSpec spec;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
  private boolean help;

  @Parameters(arity = "1..*", paramLabel = "FILE", description = "Trace files (gunzipped if named *.gz).")
  private List<Path> files;

  @Option(names = "--size", split = ",", required = true,
      description = "Capacities in entries, comma-separated (e.g. 250,500,1000,2000).")
  private List<Integer> sizes;

  @Option(names = "--format", description = "Trace format: ${COMPLETION-CANDIDATES}.")
  private TraceFormat format = TraceFormat.LIRS;

  @Override
  public Integer call() throws IOException {
    for (int size : sizes) {
      if (size < 1) {
        throw new ParameterException(spec.commandLine(), "--size must be at least 1, was " + size);
      }
    }
    for (Path file : files) {
      if (!Files.isRegularFile(file)) {
        throw new ParameterException(spec.commandLine(), "no trace file at " + file);
      }
    }
    PrintWriter out = spec.commandLine().getOut();
    out.printf("Hit rates (%%): read each key, put it on a miss. Warp = engine + cache plugin"
        + " (cache.maxEntries = size); Caffeine maximumSize(size), same-thread executor.%n");
    out.printf("%-22s %6s %9s %8s %9s %8s %9s %9s%n",
        "trace", "size", "accesses", "Warp", "Caffeine", "LRU", "vs Caff.", "vs best");
    double worstVsCaffeine = Double.POSITIVE_INFINITY;
    double worstVsBest = Double.POSITIVE_INFINITY;
    for (Path file : files) {
      List<String> keys = format.read(file);
      String name = file.getFileName().toString().replaceFirst("\\.trace(\\.gz)?$|\\.gz$", "");
      for (int size : sizes) {
        TraceReplay.Result r = TraceReplay.replay(keys, size);
        double warp = 100 * r.warpHitRate();
        double caffeine = 100 * r.caffeineHitRate();
        double lru = 100 * r.lruHitRate();
        double vsCaffeine = warp - caffeine;
        double vsBest = warp - Math.max(caffeine, lru);
        worstVsCaffeine = Math.min(worstVsCaffeine, vsCaffeine);
        worstVsBest = Math.min(worstVsBest, vsBest);
        out.printf(Locale.ROOT, "%-22s %6d %9d %8.2f %9.2f %8.2f %+9.2f %+9.2f%n",
            name, size, r.accesses(), warp, caffeine, lru, vsCaffeine, vsBest);
        out.flush();
      }
    }
    out.printf(Locale.ROOT, "Worst margin: %+.2f points against Caffeine, %+.2f against the better"
        + " of Caffeine and LRU.%n", worstVsCaffeine, worstVsBest);
    return 0;
  }
}
