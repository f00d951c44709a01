package io.warpengine.bench.jmh;

import io.warpengine.WarpOptions;
import io.warpengine.bench.workload.Distribution;
import io.warpengine.bench.workload.Zipfian;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code ./warp jmh}: runs {@link StoreBenchmark} through the JMH Runner API for every operation,
 * key distribution and thread count, against the engine and then the baselines back to back
 * ({@link Store}), and prints the setup and a table of throughput ratios ({@link RatioTable}).
 *
 * <p>Every figure is measured in this run: the baseline is never a number remembered from an
 * earlier one. Each measurement runs in a fresh forked JVM (JMH's fork), which gets a fixed heap
 * and the host's module path, on which the Warp modules live (the benchmark classes and JMH are
 * on the class path). The setup lines report the machine's load average before and after, since
 * other processes sharing the cores make the figures noisy.
 */
@Command(name = "warp jmh", sortOptions = false, showDefaultValues = true,
    description = "Benchmark the core engine's get and put against a bare ConcurrentHashMap.")
public final class BenchCommand implements Callable<Integer> {

  /**
   * The forked JVMs' own options: a fixed heap, touched at start (on a virtual machine whose host
   * backs guest memory on first touch, an allocating benchmark otherwise pays a page fault per
   * 4 KiB of fresh eden until the first collection: a bare engine's get ran at 1.2M ops/s for
   * five iterations, then 4.3M after its first GC, which decided which store "won" a round);
   * quiet about JMH's use of sun.misc.Unsafe; and the engine's close log line (slf4j-simple) kept
   * out of the progress lines.
   */
  private static final List<String> FORK_OPTIONS = List.of("-Xms2g", "-Xmx2g",
      "-XX:+AlwaysPreTouch", "--sun-misc-unsafe-memory-access=allow",
      "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");

  /** How long JMH warms up and measures each benchmark. */
  private record Plan(int warmups, Duration warmupTime, int iterations, Duration iterationTime) {
    static final Plan FULL = new Plan(3, Duration.ofSeconds(1), 5, Duration.ofSeconds(1));
    static final Plan QUICK = new Plan(1, Duration.ofMillis(300), 2, Duration.ofMillis(300));
    /**
     * {@code --in-fork}: eight measured iterations of each store per fork, in turns of two. The
     * warm-ups are a whole number of turns of four, so the measured iterations start one.
     */
    static final Plan IN_FORK = new Plan(4, Duration.ofSeconds(1), 16, Duration.ofSeconds(1));
    static final Plan IN_FORK_QUICK =
        new Plan(4, Duration.ofMillis(200), 4, Duration.ofMillis(200));

    @Override
    public String toString() {
      return String.format(Locale.ROOT, "%d warm-up x %d ms, %d measured x %d ms",
          warmups, warmupTime.toMillis(), iterations, iterationTime.toMillis());
    }
  }

  /** {@code --only}'s name for the bare engine measured against itself. */
  private static final String CONTROL = "engine";
  /** {@code --only}'s name for the quantum engine against itself with learning off. */
  private static final String LEARNER = "learner";
  /** {@code --only}'s name for the bare engine against a bare {@code ConcurrentHashMap}. */
  private static final String MAP = "map";
  /** {@code --only}'s name for a map that copies values in and out against the bare map. */
  private static final String COPY = "copy";
  /** {@code --only}'s name for a map whose get reads the value (no copy) against the bare map. */
  private static final String TOUCH = "touch";
  /** {@code --only}'s name for the bare engine against the copying map (its cost beyond copies). */
  private static final String CONTRACT = "contract";
  /** The comparisons that only {@code --in-fork} makes: their baseline is not the bare engine. */
  private static final List<String> IN_FORK_ONLY = List.of(CONTROL, LEARNER, MAP, COPY, TOUCH,
      CONTRACT);

  /** A column of the {@code --plugins} table: {@code store} measured against {@code baseline}. */
  private record Comparison(String name, String heading, Store store, Store baseline) {}

  /** Every column {@code --only} can name, in the table's order. */
  private static final List<Comparison> COMPARISONS = comparisons();

  private static List<Comparison> comparisons() {
    List<Comparison> all = new ArrayList<>();
    all.add(new Comparison(CONTROL, "engine (control)", Store.ENGINE, Store.ENGINE));
    Store.WITH_PLUGINS.forEach((name, store) ->
        all.add(new Comparison(name, "+ " + name, store, Store.ENGINE)));
    all.add(new Comparison(LEARNER, "quantum's learner", Store.ENGINE_QUANTUM,
        Store.ENGINE_QUANTUM_NOT_LEARNING));
    all.add(new Comparison(MAP, "engine / bare map", Store.ENGINE, Store.MAP));
    all.add(new Comparison(COPY, "copying map / bare map", Store.COPYING_MAP, Store.MAP));
    all.add(new Comparison(TOUCH, "touching map / bare map", Store.TOUCHING_MAP, Store.MAP));
    all.add(new Comparison(CONTRACT, "engine / copying map", Store.ENGINE, Store.COPYING_MAP));
    return List.copyOf(all);
  }

  @Spec
  private CommandSpec spec;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
  private boolean help;

  @Option(names = "--quick", description = "A short smoke run: brief iterations, 100,000 keys"
      + " unless --keys is given.")
  private boolean quick;

  @Option(names = "--keys", description = "Keys in each store (default: 1,000,000).")
  private Integer keys;

  @Option(names = "--value-size", description = "Bytes per value.")
  private int valueSize = 100;

  @Option(names = "--threads", split = ",", description = "Thread counts to run, comma-separated.")
  private List<Integer> threads = List.of(1, 2);

  @Option(names = "--forks", description = "Forked JVMs per measurement (more narrow the error"
      + " bars).")
  private int forks = 1;

  @Option(names = "--ops", split = ",", description = "With --plugins: the operations to"
      + " measure, comma-separated (get, put).")
  private List<String> ops = List.of("get", "put");

  @Option(names = "--rounds", description = "With --plugins: measure the bare engine and each"
      + " configuration in this many alternating rounds (the order reversed every other round)"
      + " and report the mean of the per-round ratios with its 95%% confidence interval, so that"
      + " machine drift between measurements cancels out.")
  private int rounds = 1;

  @Option(names = "--in-fork", description = "With --plugins: measure the bare engine and each"
      + " configuration in the same forked JVM, taking turns by iteration (bare, plugin, plugin,"
      + " bare, ...), and report the mean of the per-fork ratios with its 95%% confidence interval"
      + " over --forks forks (at least 2), so that the speed differences between forks cancel"
      + " out.")
  private boolean inFork;

  @Option(names = "--only", split = ",", description = "With --plugins: the configurations to"
      + " compare with the bare engine, comma-separated (cache, quantum, entropy, gravity, all;"
      + " with --in-fork also engine, the bare engine against itself: a control; and learner,"
      + " the quantum engine against the quantum engine with quantum.learn=false: its learner's"
      + " cost; map, the bare engine against a bare ConcurrentHashMap; copy, a map that copies"
      + " values in and out as the engine's contract does against the bare map: what the copies"
      + " alone cost; touch, a map whose get reads the value's first and last byte without"
      + " copying (one thread) against the bare map; and contract, the bare engine against the"
      + " copying map: what it costs beyond the copies).")
  private List<String> only = List.copyOf(Store.WITH_PLUGINS.keySet());

  @Option(names = "--verbose", description = "Show JMH's own output too.")
  private boolean verbose;

  @Option(names = "--plugins", description = "Instead of the maps, compare the engine alone with"
      + " the engine and each physics plugin, and all of them (their hot-path cost).")
  private boolean plugins;

  public static void main(String[] args) {
    System.exit(new CommandLine(new BenchCommand()).setCaseInsensitiveEnumValuesAllowed(true)
        .execute(args));
  }

  @Override
  public Integer call() throws RunnerException {
    PrintWriter out = spec.commandLine().getOut();
    Plan plan = inFork ? (quick ? Plan.IN_FORK_QUICK : Plan.IN_FORK)
        : quick ? Plan.QUICK : Plan.FULL;
    int keyCount = keys != null ? keys : quick ? 100_000 : 1_000_000;
    checkOptions(keyCount);
    List<String> forkArgs = forkJvmArgs();
    printSetup(out, plan, keyCount, forkArgs);

    long start = System.nanoTime();
    if (plugins) {
      pluginCosts(out, plan, keyCount, forkArgs);
    } else {
      againstMaps(out, plan, keyCount, forkArgs);
    }
    out.printf(Locale.ROOT, "%nTook %.0f s; load average now %.2f on %d cores%n",
        (System.nanoTime() - start) / 1e9, loadAverage(),
        Runtime.getRuntime().availableProcessors());
    out.flush();
    return 0;
  }

  /** One line per operation, distribution and thread count: each store's score, measured now. */
  private Map<Store, RatioTable.Score> measureAll(PrintWriter out, Plan plan, Op op,
      Distribution distribution, int threadCount, int keyCount, List<String> forkArgs,
      List<Store> stores) throws RunnerException {
    out.printf(Locale.ROOT, "  %s %s, %d thread(s):", op.method(),
        distribution.name().toLowerCase(Locale.ROOT), threadCount);
    Map<Store, RatioTable.Score> scores = new EnumMap<>(Store.class);
    for (Store store : stores) {
      out.printf(Locale.ROOT, "%s %s ", store == stores.getFirst() ? "" : ",", label(store));
      out.flush();
      RatioTable.Score score = measure(plan, op, store, distribution, threadCount, keyCount, forkArgs);
      scores.put(store, score);
      out.printf(Locale.ROOT, "%s ops/s", score);
    }
    return scores;
  }

  private void againstMaps(PrintWriter out, Plan plan, int keyCount, List<String> forkArgs)
      throws RunnerException {
    List<RatioTable.Row> rows = new ArrayList<>();
    for (Op op : Op.values()) {
      for (Distribution distribution : Distribution.values()) {
        for (int threadCount : threads) {
          Map<Store, RatioTable.Score> scores = measureAll(out, plan, op, distribution,
              threadCount, keyCount, forkArgs, Store.AGAINST_MAPS);
          RatioTable.Row row = new RatioTable.Row(op, distribution, threadCount,
              scores.get(Store.ENGINE), scores.get(Store.MAP), scores.get(Store.COPYING_MAP));
          out.printf(Locale.ROOT, "; engine/map %.2f%n", row.ratio());
          rows.add(row);
        }
      }
    }
    out.println();
    RatioTable.print(out, rows);
    long noisy = RatioTable.noisyScores(rows);
    if (noisy > 0) {
      out.printf(Locale.ROOT, "Noisy: %d of %d scores have an error over %.0f%%; do not quote"
              + " them (other processes on these cores?)%n",
          noisy, rows.size() * Store.AGAINST_MAPS.size(), 100 * RatioTable.NOISY_ERROR);
    }
  }

  /**
   * The plugins' cost: each configuration's throughput over the bare engine's, same run. With
   * {@code --rounds} above 1, every round measures the bare engine and the chosen configurations
   * in turn (reversed every other round), and a configuration's figure is the mean of its
   * per-round ratios with a 95% confidence interval over the rounds. With {@code --in-fork}, each
   * fork measures a configuration and its baseline (the bare engine, or for {@code learner} the
   * quantum engine that does not learn), taking turns, and the figure is the mean of the
   * per-fork ratios.
   */
  private void pluginCosts(PrintWriter out, Plan plan, int keyCount, List<String> forkArgs)
      throws RunnerException {
    List<Comparison> chosen = COMPARISONS.stream().filter(c -> only.contains(c.name())).toList();
    List<String> table = new ArrayList<>();
    for (Op op : List.of(Op.GET, Op.PUT)) {
      if (!ops.contains(op.method())) {
        continue;
      }
      for (Distribution distribution : Distribution.values()) {
        for (int threadCount : threads) {
          List<String> ratios = inFork
              ? inForkFigures(out, plan, op, distribution, threadCount, keyCount, forkArgs, chosen)
              : roundFigures(out, plan, op, distribution, threadCount, keyCount, forkArgs, chosen);
          StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  %-4s %-8s %7d",
              op.method(), distribution.name().toLowerCase(Locale.ROOT), threadCount));
          ratios.forEach(ratio -> line.append(String.format(Locale.ROOT, " %22s", ratio)));
          table.add(line.toString());
        }
      }
    }
    out.printf(Locale.ROOT, "%nThroughput over the baseline's, same run%s (targets: cache get"
        + " >= 0.80, quantum's learner get >= 0.90, entropy >= 0.98, engine / bare map get"
        + " >= 0.80; baseline: the bare engine, for learner the quantum engine with"
        + " quantum.learn=false, for map and copy and touch a bare ConcurrentHashMap, for contract"
        + " the map that copies)%n", inFork
        ? String.format(Locale.ROOT, ", in the same forks: mean of %d per-fork ratios ± 95%%"
            + " interval", forks)
        : rounds > 1
        ? String.format(Locale.ROOT, ": mean of %d alternating rounds ± 95%% interval", rounds)
        : "");
    StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "  %-4s %-8s %7s", "op",
        "keys", "threads"));
    for (Comparison c : chosen) {
      header.append(String.format(Locale.ROOT, " %22s", c.heading()));
    }
    out.println(header);
    table.forEach(out::println);
  }

  /** Each chosen comparison measured in forks of its own, against its baseline in each. */
  private List<String> inForkFigures(PrintWriter out, Plan plan, Op op, Distribution distribution,
      int threadCount, int keyCount, List<String> forkArgs, List<Comparison> chosen)
      throws RunnerException {
    List<String> figures = new ArrayList<>();
    for (Comparison c : chosen) {
      figures.add(RatioTable.meanWithInterval(inForkRatios(out, plan, op, c.store(),
          c.baseline(), distribution, threadCount, keyCount, forkArgs)));
    }
    return figures;
  }

  /** The bare engine and the chosen configurations measured in turn, {@code --rounds} times. */
  private List<String> roundFigures(PrintWriter out, Plan plan, Op op, Distribution distribution,
      int threadCount, int keyCount, List<String> forkArgs, List<Comparison> chosen)
      throws RunnerException {
    List<Store> configurations = chosen.stream().map(Comparison::store).toList();
    Map<Store, List<Double>> ratios = new EnumMap<>(Store.class);
    Map<Store, RatioTable.Score> scores = Map.of();
    for (int round = 0; round < rounds; round++) {
      List<Store> order = new ArrayList<>(List.of(Store.ENGINE));
      order.addAll(configurations);
      if (round % 2 == 1) {
        order = order.reversed();
      }
      if (rounds > 1) {
        out.printf(Locale.ROOT, "  round %d of %d:", round + 1, rounds);
      }
      scores = measureAll(out, plan, op, distribution, threadCount, keyCount, forkArgs, order);
      out.println();
      for (Store store : configurations) {
        ratios.computeIfAbsent(store, s -> new ArrayList<>()).add(
            scores.get(store).opsPerSecond() / scores.get(Store.ENGINE).opsPerSecond());
      }
    }
    Map<Store, RatioTable.Score> last = scores;
    return configurations.stream().map(store -> rounds > 1
        ? RatioTable.meanWithInterval(ratios.get(store))
        : last.get(store).ratioTo(last.get(Store.ENGINE))).toList();
  }

  private void checkOptions(int keyCount) {
    String problem = keyCount < 1 ? "--keys must be at least 1, was " + keyCount
        : valueSize < 0 ? "--value-size must be 0 or more, was " + valueSize
        : threads.stream().anyMatch(t -> t < 1) ? "--threads must all be 1 or more, were " + threads
        : forks < 1 ? "--forks must be at least 1, was " + forks
        : !List.of("get", "put").containsAll(ops) ? "--ops must be get and/or put, was " + ops
        : rounds < 1 ? "--rounds must be at least 1, was " + rounds
        : inFork && !plugins ? "--in-fork needs --plugins"
        : inFork && rounds > 1 ? "--in-fork and --rounds exclude each other: the forks are the"
            + " rounds"
        : inFork && forks < 2 ? "--in-fork needs --forks 2 or more, for an interval over forks,"
            + " was " + forks
        : !inFork && only.stream().anyMatch(IN_FORK_ONLY::contains) ? "--only " + IN_FORK_ONLY
            + " need --in-fork (a control of that method, and a baseline other than the bare"
            + " engine)"
        : only.isEmpty() || !COMPARISONS.stream().map(Comparison::name).toList().containsAll(only)
            ? "--only must name some of " + Store.WITH_PLUGINS.keySet() + " (or " + IN_FORK_ONLY
                + ", with --in-fork), was " + only
        : null;
    if (problem != null) {
      throw new ParameterException(spec.commandLine(), problem);
    }
  }

  private RatioTable.Score measure(Plan plan, Op op, Store store, Distribution distribution,
      int threadCount, int keyCount, List<String> forkArgs) throws RunnerException {
    Options options = options(plan, op, store, distribution, threadCount, keyCount, forkArgs)
        .build();
    Result<?> result = new Runner(options).runSingle().getPrimaryResult();
    return new RatioTable.Score(result.getScore(), result.getScoreError());
  }

  /**
   * {@code store}'s throughput over {@code baseline}'s in each of {@code --forks} forks, where
   * both took turns by iteration ({@link StoreBenchmark#measuresStore}): per fork, the mean of the
   * store's measured iterations over the mean of the baseline's.
   */
  private List<Double> inForkRatios(PrintWriter out, Plan plan, Op op, Store store,
      Store baseline, Distribution distribution, int threadCount, int keyCount,
      List<String> forkArgs) throws RunnerException {
    out.printf(Locale.ROOT, "  %s %s, %d thread(s), %s, turns in each fork with %s; ratios:",
        op.method(), distribution.name().toLowerCase(Locale.ROOT), threadCount, label(store),
        label(baseline));
    out.flush();
    Options options = options(plan, op, store, distribution, threadCount, keyCount, forkArgs)
        .param("alternate", "true")
        .param("baseline", baseline.name())
        .build();
    List<Double> ratios = new ArrayList<>();
    for (BenchmarkResult fork : new Runner(options).runSingle().getBenchmarkResults()) {
      double[] sums = new double[2];
      int[] counts = new int[2];
      int index = plan.warmups();
      for (IterationResult iteration : fork.getIterationResults()) {
        int which = StoreBenchmark.measuresStore(index++) ? 1 : 0;
        sums[which] += iteration.getPrimaryResult().getScore();
        counts[which]++;
      }
      double ratio = (sums[1] / counts[1]) / (sums[0] / counts[0]);
      out.printf(Locale.ROOT, " %.3f", ratio);
      out.flush();
      ratios.add(ratio);
    }
    out.println();
    return ratios;
  }

  /** {@code store} as the progress lines name it: "engine quantum" for ENGINE_QUANTUM. */
  private static String label(Store store) {
    return store.name().toLowerCase(Locale.ROOT).replace('_', ' ');
  }

  private ChainedOptionsBuilder options(Plan plan, Op op, Store store, Distribution distribution,
      int threadCount, int keyCount, List<String> forkArgs) {
    return new OptionsBuilder()
        .include("^" + Pattern.quote(StoreBenchmark.class.getName() + "." + op.method()) + "$")
        .param("store", store.name())
        .param("distribution", distribution.name())
        .param("keys", Integer.toString(keyCount))
        .param("valueSize", Integer.toString(valueSize))
        .threads(threadCount)
        .forks(forks)
        .warmupIterations(plan.warmups())
        .warmupTime(TimeValue.milliseconds(plan.warmupTime().toMillis()))
        .measurementIterations(plan.iterations())
        .measurementTime(TimeValue.milliseconds(plan.iterationTime().toMillis()))
        .jvmArgs(forkArgs.toArray(String[]::new))
        .shouldFailOnError(true)
        .verbosity(verbose ? VerboseMode.NORMAL : VerboseMode.SILENT);
  }

  /** The forked JVMs' options, and the Warp modules of this JVM's module path. */
  private static List<String> forkJvmArgs() {
    List<String> args = new ArrayList<>(FORK_OPTIONS);
    String modulePath = System.getProperty("jdk.module.path");
    if (modulePath != null) {
      args.addAll(List.of("--module-path", modulePath, "--add-modules", "ALL-MODULE-PATH"));
    }
    return args;
  }

  private void printSetup(PrintWriter out, Plan plan, int keyCount, List<String> forkArgs) {
    if (plugins) {
      out.println("Warp JMH: the engine with physics plugins vs the bare engine, same keys, same"
          + " run");
    } else {
      out.println("Warp JMH: core engine vs ConcurrentHashMap<String, byte[]>, same keys, same"
          + " run");
      out.println("  baselines map = bare ConcurrentHashMap; copying map = the same, copying"
          + " values in and out as the engine's contract requires");
    }
    out.printf(Locale.ROOT, "  JDK       %s %s (%s)%n", System.getProperty("java.vm.name"),
        Runtime.version(), System.getProperty("java.vm.vendor"));
    out.printf(Locale.ROOT, "  machine   %d cores (availableProcessors), %s %s,"
            + " load average %.2f%n",
        Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"),
        System.getProperty("os.arch"), loadAverage());
    out.printf(Locale.ROOT, "  data      %,d keys, %d-byte values; keys uniform or Zipf (theta"
        + " %.2f), drawn ahead with fixed seeds%n", keyCount, valueSize, Zipfian.YCSB_THETA);
    out.printf(Locale.ROOT, "  engine    in memory, %d shards (WarpOptions.defaultShardCount)%n",
        WarpOptions.defaultShardCount());
    out.printf(Locale.ROOT, "  threads   %s%n", threads);
    out.printf(Locale.ROOT, "  JMH       throughput, %s, %d fork(s) each%s; fork JVM args %s%n",
        plan, forks, quick ? " (--quick: a smoke run, not a measurement to quote)" : "",
        forkArgs.subList(0, FORK_OPTIONS.size()));
    out.println();
    out.flush();
  }

  private static double loadAverage() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }
}
