package io.warpengine.bench.horizon;

import io.warpengine.bench.io.Directories;
import io.warpengine.Warp;
import io.warpengine.WarpOptions;
import io.warpengine.api.MetricsSnapshot;
import io.warpengine.api.WarpEngine;
import io.warpengine.bench.workload.BenchArguments;
import io.warpengine.bench.workload.KeyDistribution;
import io.warpengine.bench.workload.Zipfian;
import io.warpengine.physics.cache.EventHorizon;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;

/**
 * "Larger than the heap": loads more value bytes than the heap can hold through a durable engine
 * with the event horizon, reads every value back and checks it, then measures read throughput
 * for a Zipf(0.99) workload (its hot set fits inside the budget) against a uniform one, both
 * measured in the same run. Every figure comes from a clock or the engine's counters.
 *
 * <p>Arguments (all optional): {@code dir=PATH} (default: a new directory under
 * {@code java.io.tmpdir}, deleted at the end), {@code totalMiB=2048} (value bytes loaded),
 * {@code budgetMiB=256} ({@code cache.budgetBytes}), {@code valueBytes=4096},
 * {@code threads=2}, {@code seconds=10} (per read workload). Run it with a heap smaller than
 * {@code totalMiB}, e.g. {@code -Xmx512m} for the defaults: see {@code warp-wal/README.md}.
 */
public final class HorizonBenchmark {

  private final WarpEngine engine;
  private final int keys;
  private final int valueBytes;
  private final int threads;
  private final PrintStream out;

  private HorizonBenchmark(WarpEngine engine, int keys, int valueBytes, int threads,
      PrintStream out) {
    this.engine = engine;
    this.keys = keys;
    this.valueBytes = valueBytes;
    this.threads = threads;
    this.out = out;
  }

  public static void main(String[] args) throws Exception {
    BenchArguments.main("horizon-bench", args, HorizonBenchmark::run);
  }

  /** The whole benchmark, its report printed to {@code out}; see the class comment. */
  static void run(String[] args, PrintStream out) throws Exception {
    // The defaults name every argument; an empty dir means a temporary directory.
    Map<String, String> a = BenchArguments.parse(args, Map.of("dir", "", "totalMiB", "2048",
        "budgetMiB", "256", "valueBytes", "4096", "threads", "2", "seconds", "10"));
    long total = (long) BenchArguments.positive(a, "totalMiB") << 20;
    long budget = (long) BenchArguments.positive(a, "budgetMiB") << 20;
    int valueBytes = BenchArguments.atLeast(a, "valueBytes", Long.BYTES); // a read checks a long
    int threads = BenchArguments.positive(a, "threads");
    Duration time = BenchArguments.seconds(a, "seconds");
    long keyCount = total / valueBytes;
    if (keyCount < 1 || keyCount > Integer.MAX_VALUE) {
      throw new BenchArguments.Refused("totalMiB=" + a.get("totalMiB") + " and valueBytes="
          + valueBytes + " make " + keyCount + " keys; expected 1 to " + Integer.MAX_VALUE);
    }
    int keys = (int) keyCount;
    boolean temporary = a.get("dir").isEmpty();
    Path dir = temporary ? Files.createTempDirectory("warp-horizon-bench") : Path.of(a.get("dir"));
    Runtime rt = Runtime.getRuntime();
    out.printf(Locale.ROOT,
        "warp horizon benchmark: JDK %s, %s %s, %d processors, max heap %d MiB%n",
        Runtime.version(), System.getProperty("os.name"), System.getProperty("os.arch"),
        rt.availableProcessors(), rt.maxMemory() >> 20);
    out.printf(Locale.ROOT, "%d keys x %d-byte values = %d MiB, budget %d MiB, %d threads, %s%n",
        keys, valueBytes, total >> 20, budget >> 20, threads, dir);
    WarpOptions options = WarpOptions.builder().dataDirectory(dir)
        .property("cache.budgetBytes", Long.toString(budget))
        .disablePlugin("quantum") // on the path for the warp tool, not measured here
        .disablePlugin("entropy")
        .disablePlugin("gravity")
        .build();
    try (WarpEngine engine = Warp.open(options)) {
      if (!engine.isDurable() || engine.plugin(EventHorizon.class).isEmpty()) {
        throw new IllegalStateException("put warp-wal and warp-physics-cache on the module path");
      }
      HorizonBenchmark b = new HorizonBenchmark(engine, keys, valueBytes, threads, out);
      b.load();
      b.verifyAll();
      double zipf = b.reads("zipf(" + Zipfian.YCSB_THETA + ")",
          new Zipfian(keys, Zipfian.YCSB_THETA), time);
      double uniform = b.reads("uniform", new KeyDistribution.Uniform(keys), time);
      out.printf(Locale.ROOT, "zipf / uniform read throughput: %.2f%n", zipf / uniform);
    } finally { // after the engine's close; also when the run failed, having written gigabytes
      if (temporary) {
        Directories.deleteTree(dir);
      }
    }
  }

  /** The value of key {@code i}: 8-byte words derived from {@code i}, so a read can be checked. */
  private byte[] value(int i) {
    ByteBuffer b = ByteBuffer.allocate(valueBytes);
    for (long w = 0; b.remaining() >= 8; w++) {
      b.putLong(i * 0x9E3779B97F4A7C15L + w);
    }
    return b.array();
  }

  private static String key(int i) {
    return "key:" + i;
  }

  private void load() {
    long start = System.nanoTime();
    parallel(t -> {
      for (int i = (int) t; i < keys; i += threads) {
        engine.put(key(i), value(i));
      }
      return 0;
    });
    double s = (System.nanoTime() - start) / 1e9;
    engine.plugin(EventHorizon.class).orElseThrow().cleanUp();
    out.printf(Locale.ROOT, "load: %.1f s, %.1f MiB/s%n", s,
        (double) keys * valueBytes / s / (1 << 20));
    printState("after load");
  }

  private void verifyAll() {
    long loadsBefore = engine.metrics().diskLoads();
    long start = System.nanoTime();
    parallel(t -> {
      for (int i = (int) t; i < keys; i += threads) {
        if (!Arrays.equals(value(i), engine.get(key(i)))) {
          throw new IllegalStateException("wrong value read back for " + key(i));
        }
      }
      return 0;
    });
    double s = (System.nanoTime() - start) / 1e9;
    out.printf(Locale.ROOT,
        "read back and checked all %d values: %.1f s, %.0f reads/s, %d disk loads%n",
        keys, s, keys / s, engine.metrics().diskLoads() - loadsBefore);
  }

  /** Reads keys drawn from {@code dist} for {@code time}; returns reads per second. */
  private double reads(String name, KeyDistribution dist, Duration time) {
    MetricsSnapshot before = engine.metrics();
    long start = System.nanoTime();
    long end = start + time.toNanos();
    long reads = parallel(t -> {
      SplittableRandom random = new SplittableRandom(42 + t);
      long n = 0;
      while (System.nanoTime() < end) {
        for (int j = 0; j < 256; j++) {
          int i = dist.next(random);
          byte[] v = engine.get(key(i));
          if (v == null || v.length != valueBytes
              || ByteBuffer.wrap(v).getLong() != i * 0x9E3779B97F4A7C15L) {
            throw new IllegalStateException("wrong value read back for " + key(i));
          }
        }
        n += 256;
      }
      return n;
    });
    double s = (System.nanoTime() - start) / 1e9;
    MetricsSnapshot after = engine.metrics();
    long loads = after.diskLoads() - before.diskLoads();
    out.printf(Locale.ROOT, "%-12s %,.0f reads/s (%d reads in %.1f s), %.1f%% from disk%n", name,
        reads / s, reads, s, 100.0 * loads / reads);
    printState("after " + name);
    return reads / s;
  }

  private void printState(String when) {
    MetricsSnapshot m = engine.metrics();
    Runtime rt = Runtime.getRuntime();
    out.printf(Locale.ROOT, "  %s: %d entries, %d MiB of values, %d MiB beyond the horizon, %d MiB"
            + " inside; heap used %d MiB of %d; journal %s; cache %s%n", when, m.entries(),
        m.bytes() >> 20, m.beyondBytes() >> 20, (m.bytes() - m.beyondBytes()) >> 20,
        (rt.totalMemory() - rt.freeMemory()) >> 20, rt.maxMemory() >> 20,
        m.pluginMetrics().get("journal"), m.pluginMetrics().get("cache"));
  }

  @FunctionalInterface
  private interface Task {
    long run(long thread);
  }

  /** Runs {@code task} on every thread; returns the sum of what they return. */
  private long parallel(Task task) {
    List<CompletableFuture<Long>> all = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      long thread = t;
      all.add(CompletableFuture.supplyAsync(() -> task.run(thread),
          r -> Thread.ofPlatform().start(r)));
    }
    return all.stream().mapToLong(CompletableFuture::join).sum();
  }
}
