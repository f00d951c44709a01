package io.warpengine.bench.gravity;

import io.warpengine.Warp;
import io.warpengine.WarpOptions;
import io.warpengine.api.ShardMetrics;
import io.warpengine.api.WarpEngine;
import io.warpengine.bench.workload.BenchArguments;
import io.warpengine.bench.workload.Workers;
import io.warpengine.physics.gravity.Gravity;
import io.warpengine.spi.NamedPluginProvider;
import io.warpengine.spi.PhysicsPlugin;
import io.warpengine.spi.ShardRouter;
import io.warpengine.spi.ShardView;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ToIntFunction;

/**
 * The gravity issue's three figures, each against a baseline measured in the same run:
 * <ol>
 *   <li><b>Routing</b>: route lookups per second on one thread (one core) with
 *       {@code wormholes} open wormholes; per wall-clock second (like for like) against the
 *       original's claimed 321,750 routes/s, and
 *       through the same read view ({@code ShardView.shardOf}) against the engine's own hash
 *       router.</li>
 *   <li><b>Balance</b>: gets drawn from Zipf(1.1) over {@code centres} centres on 64 shards;
 *       max / mean of the shards' read counts under the hash router, and under gravity after
 *       it rebalanced; with the bound no router can beat (the hottest centre's share times the
 *       shard count).</li>
 *   <li><b>Moves under load</b>: {@code moves} centres of 4 keys moved one by one while two
 *       threads read and write their keys: errors (a read that misses an existing key or gets
 *       another key's value) and the throughput before and during the moves.</li>
 * </ol>
 * Arguments (all optional): {@code seconds=3} (per routing measurement and per load phase),
 * {@code wormholes=10000}, {@code centres=100000}, {@code zipfOps=3000000}, {@code moves=10000}.
 */
public final class GravityBenchmark {

  private static final double ORIGINAL_ROUTES_PER_SECOND = 321_750;
  private static final int SHARDS = 64;
  private static final double ZIPF_S = 1.1;

  private final PrintStream out;

  private GravityBenchmark(PrintStream out) {
    this.out = out;
  }

  public static void main(String[] args) throws Exception {
    BenchArguments.main("gravity-bench", args, GravityBenchmark::run);
  }

  /** The whole benchmark, its report printed to {@code out}; see the class comment. */
  static void run(String[] args, PrintStream out) throws Exception {
    Map<String, String> a = BenchArguments.parse(args, Map.of("seconds", "3", "wormholes", "10000",
        "centres", "100000", "zipfOps", "3000000", "moves", "10000"));
    Duration time = BenchArguments.seconds(a, "seconds");
    int wormholes = BenchArguments.positive(a, "wormholes");
    int centres = BenchArguments.positive(a, "centres");
    int zipfOps = BenchArguments.positive(a, "zipfOps");
    int moves = BenchArguments.positive(a, "moves");
    Runtime rt = Runtime.getRuntime();
    out.printf(Locale.ROOT, "warp gravity benchmark: JDK %s, %s %s, %d processors, max heap %d MiB,"
            + " load average %.2f%n", Runtime.version(), System.getProperty("os.name"),
        System.getProperty("os.arch"), rt.availableProcessors(), rt.maxMemory() >> 20,
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    GravityBenchmark b = new GravityBenchmark(out);
    b.routing(wormholes, time);
    b.balance(centres, zipfOps);
    b.moves(moves, time);
  }

  // ------------------------------------------------------------------ engines

  /** An engine with gravity alone (or none), 64 shards, in memory, no automatic rebalance. */
  private static WarpEngine open(boolean gravity, Probe probe, String... properties) {
    WarpOptions.Builder b = WarpOptions.builder().shards(SHARDS)
        .property("gravity.autoRebalance", "false");
    if (gravity) {
      b.disablePlugin("cache").disablePlugin("quantum").disablePlugin("entropy");
    } else {
      b.discoverPlugins(false);
    }
    for (int i = 0; i < properties.length; i += 2) {
      b.property(properties[i], properties[i + 1]);
    }
    if (probe != null) {
      b.addPlugin(probe);
    }
    return Warp.open(b.build());
  }

  /** A plugin that only keeps the engine's read view, to route through it. */
  private static final class Probe extends NamedPluginProvider {
    private final AtomicReference<ShardView> view;

    Probe() {
      this(new AtomicReference<>());
    }

    private Probe(AtomicReference<ShardView> view) {
      super("probe", context -> {
        view.set(context.shards());
        return new PhysicsPlugin() { };
      });
      this.view = view;
    }

    ShardView view() {
      return view.get();
    }
  }

  // ------------------------------------------------------------------ 1. routing

  private void routing(int wormholes, Duration time) {
    Probe gravityProbe = new Probe();
    Probe hashProbe = new Probe();
    // closeBelow=0: these wormholes see no use, and must stay open all the same
    try (WarpEngine gravity = open(true, gravityProbe, "gravity.closeBelow", "0");
         WarpEngine hash = open(false, hashProbe)) {
      Gravity g = gravity.plugin(Gravity.class).orElseThrow();
      for (int i = 0; i < wormholes; i++) {
        g.moveCentre("c" + i, (g.shardOfCentre("c" + i) + 1) % SHARDS);
      }
      ShardRouter router = gravity.plugin(ShardRouter.class).orElseThrow();
      out.printf(Locale.ROOT,
          "%n1. Routing, one thread, keys user:{cN}:fM over %d centres, %s of them"
          + " with an open wormhole%n", 2 * wormholes,
          gravity.metrics().pluginMetrics().get("gravity").get("openWormholes"));
      // 4,096 keys stay in the core's caches, as a key the caller just built does; 262,144 do not.
      for (int keyCount : new int[] {1 << 12, 1 << 18}) {
        String[] keys = new String[keyCount];
        SplittableRandom rnd = new SplittableRandom(keyCount);
        for (int i = 0; i < keys.length; i++) {
          keys[i] = "user:{c" + rnd.nextInt(2 * wormholes) + "}:f" + i;
        }
        Rate direct = rate(router::route, keys, time);
        Rate viewGravity = rate(gravityProbe.view()::shardOf, keys, time);
        Rate viewHash = rate(hashProbe.view()::shardOf, keys, time);
        out.printf(Locale.ROOT,
            "   %,7d keys: gravity route() %,12.0f routes per CPU-second; target 50,000,000;"
            + " %,.0f per wall-clock second, %,.0fx the original's claimed %,.0f%n",
            keyCount, direct.perCpuSecond(), direct.perSecond(),
            direct.perSecond() / ORIGINAL_ROUTES_PER_SECOND, ORIGINAL_ROUTES_PER_SECOND);
        out.printf(Locale.ROOT, "   %,7d keys: through ShardView.shardOf, per CPU-second: gravity"
            + " %,12.0f, hash router %,12.0f: ratio %.2f%n", keyCount, viewGravity.perCpuSecond(),
            viewHash.perCpuSecond(), viewGravity.perCpuSecond() / viewHash.perCpuSecond());
      }
    }
  }

  /**
   * Routes per second of wall-clock time and of this thread's CPU time (the machine is shared:
   * the second is the rate per core while the thread ran).
   */
  private record Rate(double perSecond, double perCpuSecond) {}

  /** The rate of {@code route} over {@code keys}, after a warm-up of the same length. */
  private static Rate rate(ToIntFunction<String> route, String[] keys, Duration time) {
    measure(route, keys, time); // warm-up
    return measure(route, keys, time);
  }

  private static long sink;

  private static Rate measure(ToIntFunction<String> route, String[] keys, Duration time) {
    ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
    long end = System.nanoTime() + time.toNanos();
    long start = System.nanoTime();
    long cpuStart = cpu.getCurrentThreadCpuTime();
    long routes = 0;
    int acc = 0;
    long now;
    do {
      for (String key : keys) {
        acc += route.applyAsInt(key);
      }
      routes += keys.length;
      now = System.nanoTime();
    } while (now < end);
    long cpuNanos = cpu.getCurrentThreadCpuTime() - cpuStart;
    sink += acc;
    return new Rate(routes / ((now - start) / 1e9), routes / (cpuNanos / 1e9));
  }

  // ------------------------------------------------------------------ 2. balance

  private void balance(int centres, int ops) {
    double[] cumulative = new double[centres];
    double total = 0;
    for (int i = 0; i < centres; i++) {
      total += 1 / Math.pow(i + 1, ZIPF_S);
      cumulative[i] = total;
    }
    String[] keys = new String[centres];
    for (int i = 0; i < centres; i++) {
      keys[i] = "{c" + i + "}";
    }
    out.printf(Locale.ROOT, "%n2. Balance: %,d gets drawn from Zipf(%.1f) over %,d centres (one key"
        + " each), %d shards%n", ops, ZIPF_S, centres, SHARDS);
    double bound = Math.max(1, (1 / total) * SHARDS);
    try (WarpEngine hash = open(false, null)) {
      load(hash, keys);
      out.printf(Locale.ROOT, "   hash router:                    %s%n",
          zipfGets(hash, keys, cumulative, total, ops, 7));
    }
    try (WarpEngine gravity = open(true, null, "gravity.maxMoves", "4096")) {
      load(gravity, keys);
      Gravity g = gravity.plugin(Gravity.class).orElseThrow();
      Spread before = zipfGets(gravity, keys, cumulative, total, ops, 7);
      long moved = 0;
      int rounds = 0;
      for (long m = -1; m != 0 && rounds < 20; rounds++) {
        m = g.rebalance("gravity-bench").moved();
        moved += m;
      }
      Spread after = zipfGets(gravity, keys, cumulative, total, ops, 8);
      out.printf(Locale.ROOT, "   gravity before rebalancing:     %s%n", before);
      out.printf(Locale.ROOT, "   gravity after rebalancing:      %s  (%d centres moved in %d"
          + " rebalances; target max/mean 1.25)%n", after, moved, rounds);
      out.printf(Locale.ROOT,
          "   no router can do better than    max/mean %.3f  (the hottest centre"
          + " alone holds %.1f%% of the gets)%n", bound, 100 / total);
    }
  }

  private static void load(WarpEngine engine, String[] keys) {
    byte[] value = new byte[16];
    for (String key : keys) {
      engine.put(key, value);
    }
  }

  /**
   * How uneven the shards' reads were: max/mean over all shards, and over all but the busiest
   * (the one the hottest centre is on, which no router can relieve of it).
   */
  private record Spread(double all, double others) {
    @Override
    public String toString() {
      return String.format(Locale.ROOT, "max/mean %.3f, of the other %d shards %.3f", all,
          SHARDS - 1, others);
    }
  }

  /** Runs the gets; returns how uneven the shards' reads during them were. */
  private static Spread zipfGets(WarpEngine engine, String[] keys, double[] cumulative,
                                 double total, int ops, long seed) {
    long[] before = reads(engine);
    SplittableRandom rnd = new SplittableRandom(seed);
    for (int i = 0; i < ops; i++) {
      int at = Arrays.binarySearch(cumulative, rnd.nextDouble() * total);
      engine.get(keys[Math.min(at < 0 ? -at - 1 : at, keys.length - 1)]);
    }
    long[] after = reads(engine);
    double[] d = new double[after.length];
    for (int i = 0; i < after.length; i++) {
      d[i] = after[i] - before[i];
    }
    Arrays.sort(d);
    double[] others = Arrays.copyOf(d, d.length - 1);
    return new Spread(maxOverMean(d), maxOverMean(others));
  }

  private static double maxOverMean(double[] sorted) {
    return sorted[sorted.length - 1] / (Arrays.stream(sorted).sum() / sorted.length);
  }

  private static long[] reads(WarpEngine engine) {
    return engine.metrics().shardMetrics().stream().mapToLong(ShardMetrics::reads).toArray();
  }

  // ------------------------------------------------------------------ 3. moves under load

  private void moves(int moves, Duration time) throws InterruptedException {
    try (WarpEngine engine = open(true, null)) {
      Gravity g = engine.plugin(Gravity.class).orElseThrow();
      String[] keys = new String[moves * 4];
      for (int i = 0; i < keys.length; i++) {
        keys[i] = "{m" + (i / 4) + "}:" + (i % 4);
        engine.put(keys[i], value(keys[i], 0));
      }
      LongAdder ops = new LongAdder();
      LongAdder errors = new LongAdder();
      AtomicBoolean stop = new AtomicBoolean();
      Workers callers = new Workers("the callers getting and putting during the centre moves");
      callers.start("gravity-bench-caller-1", () -> call(engine, keys, 1, ops, errors, stop));
      callers.start("gravity-bench-caller-2", () -> call(engine, keys, 2, ops, errors, stop));
      Thread.sleep(time); // warm-up
      long t0 = System.nanoTime();
      long o0 = ops.sum();
      Thread.sleep(time);
      long t1 = System.nanoTime();
      long o1 = ops.sum();
      SplittableRandom rnd = new SplittableRandom(9);
      long keysMoved = 0;
      for (int i = 0; i < moves; i++) {
        String centre = "m" + i;
        keysMoved += g.moveCentre(centre, (g.shardOfCentre(centre) + 1 + rnd.nextInt(SHARDS - 1))
            % SHARDS);
      }
      long t2 = System.nanoTime();
      long o2 = ops.sum();
      Thread.sleep(time);
      long t3 = System.nanoTime();
      long o3 = ops.sum();
      stop.set(true);
      callers.join();
      long missing = Arrays.stream(keys).filter(k -> engine.get(k) == null).count();
      long inShards = engine.metrics().shardMetrics().stream()
          .mapToLong(ShardMetrics::entries).sum();
      double before = (o1 - o0) / ((t1 - t0) / 1e9);
      double during = (o2 - o1) / ((t2 - t1) / 1e9);
      double after = (o3 - o2) / ((t3 - t2) / 1e9);
      out.printf(Locale.ROOT,
          "%n3. Moves under load: %,d centres of 4 keys moved one by one by a third"
          + " thread while 2 threads get (50%%) and put (50%%) their keys%n", moves);
      out.printf(Locale.ROOT,
          "   %,d moves (%,d keys) in %.2f s: %,.0f moves/s%n", moves, keysMoved,
          (t2 - t1) / 1e9, moves / ((t2 - t1) / 1e9));
      out.printf(Locale.ROOT, "   callers: %,.0f ops/s before, %,.0f during the moves (%.1f%% dip),"
          + " %,.0f after%n", before, during, 100 * (1 - during / before), after);
      out.printf(Locale.ROOT, "   errors: %d (reads that missed a key or got another key's value),"
          + " %d keys missing at the end, %d entries in the shards for %d keys%n",
          errors.sum(), missing, inShards, keys.length);
    }
  }

  /** The value of {@code key}'s write number {@code n}: the key's bytes, then n. */
  private static byte[] value(String key, long n) {
    return (key + "#" + n).getBytes(StandardCharsets.UTF_8);
  }

  /** One caller until {@code stop}: gets (each checked) and puts of random keys, half each. */
  private static void call(WarpEngine engine, String[] keys, long seed, LongAdder ops,
                           LongAdder errors, AtomicBoolean stop) {
    SplittableRandom rnd = new SplittableRandom(seed);
    long n = 0;
    while (!stop.get()) {
      String key = keys[rnd.nextInt(keys.length)];
      if (rnd.nextBoolean()) {
        engine.put(key, value(key, ++n));
      } else {
        byte[] v = engine.get(key);
        if (v == null || !new String(v, StandardCharsets.UTF_8).startsWith(key + "#")) {
          errors.increment();
        }
      }
      ops.increment();
    }
  }
}
