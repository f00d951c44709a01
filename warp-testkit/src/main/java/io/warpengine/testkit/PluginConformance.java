package io.warpengine.testkit;

import io.warpengine.Warp;
import io.warpengine.WarpOptions;
import io.warpengine.api.WarpEngine;
import io.warpengine.spi.PhysicsPlugin;
import io.warpengine.spi.PhysicsPluginProvider;
import io.warpengine.spi.PluginContext;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * The conformance suite every physics plugin must pass; a plugin's own test runs it with one
 * call, {@code PluginConformance.of(new MyProvider()).checkAll()}, which throws an
 * {@link AssertionError} listing every failure. It needs an engine ({@code warp-core}) on the
 * test path; each engine it opens loads the plugin under test alone, in memory.
 *
 * <ul>
 *   <li><b>Lifecycle</b> ({@link #checkLifecycle}): an open starts the plugin once and a close
 *       closes it once, without an exception; metrics are reported under its name; when another
 *       plugin fails the open, before or after ours started, ours is closed once and quietly;
 *       and no thread it started outlives the engine.</li>
 *   <li><b>Concurrency</b> ({@link #checkConcurrency}): {@link MixedWorkload}'s threads run every
 *       operation on a small key set while another thread reads the metrics; no hook and no
 *       metrics call throws, and every key's history is linearizable against the
 *       {@link RegisterModel} (or {@link RegisterModel#EVICTABLE}, for a plugin that removes
 *       values by itself), with exact counters when nothing is removed.</li>
 *   <li><b>Hot-path allocation</b> ({@link #checkAllocation}): one thread runs the same mix of
 *       gets, overwrites, contains and delete-then-put on a bare engine and on one with the
 *       plugin, after a warm-up, and {@code com.sun.management.ThreadMXBean} counts the bytes
 *       the thread allocated; the plugin's extra bytes per operation (the best of three rounds)
 *       must not exceed the budget. Background threads are not counted: that is where heavy
 *       work belongs.</li>
 * </ul>
 *
 * <p>Settings ({@link #property}), the model and the budget are the plugin author's to choose,
 * and are printed with the figures.
 */
public final class PluginConformance {

  /** The default allocation budget: bytes per operation beyond the bare engine's. */
  public static final double DEFAULT_BUDGET = 8.0;

  private final PhysicsPluginProvider provider;
  private final Map<String, String> properties = new LinkedHashMap<>();
  private boolean removesValues;
  private double budget = DEFAULT_BUDGET;
  private int threads = 8;
  private int opsPerThread = 10_000;
  private long seed = 1;
  private int allocationOps = 200_000;

  private PluginConformance(PhysicsPluginProvider provider) {
    this.provider = Objects.requireNonNull(provider, "provider");
  }

  /** The suite for the plugins {@code provider} creates. */
  public static PluginConformance of(PhysicsPluginProvider provider) {
    return new PluginConformance(provider);
  }

  /**
   * The suite for the plugin named {@code name} among those on the path ({@code ServiceLoader}),
   * for a test that sees a plugin's module but not its provider class.
   */
  public static PluginConformance discovered(String name) {
    return of(ServiceLoader.load(PhysicsPluginProvider.class).stream()
        .map(ServiceLoader.Provider::get).filter(p -> p.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no physics plugin named '" + name
            + "' on the path")));
  }

  @Override
  public String toString() {
    return provider.name() + (properties.isEmpty() ? "" : " " + properties);
  }

  /** An engine property for every engine the suite opens, such as {@code "cache.maxEntries"}. */
  public PluginConformance property(String key, String value) {
    properties.put(key, value);
    return this;
  }

  /** The plugin may remove values by itself (evict, expire): check against the evictable model. */
  public PluginConformance removesValues() {
    this.removesValues = true;
    return this;
  }

  /** The allocation budget in bytes per operation beyond the bare engine's. */
  public PluginConformance allocationBudget(double bytesPerOp) {
    if (!(bytesPerOp >= 0)) {
      throw new IllegalArgumentException("an allocation budget must be at least 0, was " + bytesPerOp);
    }
    this.budget = bytesPerOp;
    return this;
  }

  /** Workload size and seed of the concurrency check (defaults: 8 threads, 10,000 ops, seed 1). */
  public PluginConformance workload(int threads, int opsPerThread, long seed) {
    if (threads < 2 || opsPerThread < 1) {
      throw new IllegalArgumentException("the workload needs at least 2 threads and 1 operation,"
          + " was " + threads + " threads and " + opsPerThread + " operations");
    }
    this.threads = threads;
    this.opsPerThread = opsPerThread;
    this.seed = seed;
    return this;
  }

  /** What the suite measured; {@link #toString()} is one line for a test's output. */
  public record Report(String plugin, double bareBytesPerOp, double pluginBytesPerOp,
                       double budget, int operationsChecked) {
    public double extraBytesPerOp() {
      return pluginBytesPerOp - bareBytesPerOp;
    }

    @Override
    public String toString() {
      return String.format("%s: lifecycle ok; %,d concurrent operations linearizable, no hook"
              + " failure; allocation %.1f B/op with the plugin vs %.1f B/op bare = %+.1f B/op"
              + " (budget %.1f)", plugin, operationsChecked, pluginBytesPerOp, bareBytesPerOp,
          extraBytesPerOp(), budget);
    }
  }

  /** Runs every check; throws an {@link AssertionError} naming each failure. */
  public Report checkAll() throws InterruptedException, ExecutionException {
    List<String> failures = new ArrayList<>();
    checkLifecycle(failures);
    int ops = checkConcurrency(failures);
    double[] bytes = checkAllocation(failures);
    if (!failures.isEmpty()) {
      throw new AssertionError("plugin '" + provider.name() + "' failed conformance:\n  "
          + String.join("\n  ", failures));
    }
    return new Report(provider.name(), bytes[0], bytes[1], budget, ops);
  }

  private WarpOptions.Builder options() {
    WarpOptions.Builder b = WarpOptions.builder().discoverPlugins(false).shards(4);
    properties.forEach(b::property);
    return b;
  }

  // ------------------------------------------------------------------------ lifecycle

  /** Adds to {@code failures} what the lifecycle checks found wrong. */
  public void checkLifecycle(List<String> failures) throws InterruptedException {
    Set<Thread> before = Thread.getAllStackTraces().keySet();
    List<ObservedPlugin> created = new ArrayList<>();
    try (WarpEngine engine = Warp.open(options().addPlugin(ObservedPlugin.wrap(provider, created)).build())) {
      if (!engine.pluginNames().equals(List.of(provider.name()))) {
        failures.add("the engine loaded " + engine.pluginNames() + ", not [" + provider.name() + "]");
      }
      engine.put("conformance", new byte[] {1});
      engine.get("conformance");
      engine.delete("conformance");
      if (!engine.metrics().pluginMetrics().containsKey(provider.name())) {
        failures.add("no metrics under the plugin's name");
      }
    } catch (RuntimeException e) {
      failures.add("open, use or close failed: " + e);
    }
    expectOneOfEach(failures, "a normal open and close", created, 1);

    // Another plugin fails the open: after ours started, then before any plugin started.
    for (boolean inCreate : new boolean[] {false, true}) {
      created.clear();
      String when = inCreate ? "while being created" : "while starting";
      try {
        Warp.open(options().addPlugin(ObservedPlugin.wrap(provider, created))
            .addPlugin(saboteur(inCreate)).build()).close();
        failures.add("the open succeeded although another plugin failed " + when);
      } catch (IllegalStateException expected) {
        // the saboteur's failure; ours must have been closed
      }
      expectOneOfEach(failures, "an open failed by another plugin " + when, created,
          inCreate ? 0 : 1);
    }
    List<String> left = threadsLeft(before);
    if (!left.isEmpty()) {
      failures.add("threads still running 5 s after the engines closed: " + left);
    }
  }

  private static void expectOneOfEach(List<String> failures, String what,
                                      List<ObservedPlugin> created, int starts) {
    if (created.size() != 1) {
      failures.add(what + ": " + created.size() + " plugins created, expected 1");
      return;
    }
    ObservedPlugin p = created.getFirst();
    if (p.starts.get() != starts || p.closes.get() != 1) {
      failures.add(what + ": started " + p.starts.get() + " and closed " + p.closes.get()
          + " times, expected " + starts + " and 1");
    }
    if (p.otherFailures.sum() > 0) {
      failures.add(what + ": close or metrics threw " + p.otherFailures.sum() + " times");
    }
    p.misuse.forEach(m -> failures.add(what + ": " + m));
  }

  /** A plugin that fails the open when created, or when started. */
  private static PhysicsPluginProvider saboteur(boolean inCreate) {
    return new PhysicsPluginProvider() {
      @Override
      public String name() {
        return "conformance-saboteur";
      }

      @Override
      public PhysicsPlugin create(PluginContext context) {
        if (inCreate) {
          throw new IllegalStateException("the saboteur fails its creation on purpose");
        }
        return new PhysicsPlugin() {
          @Override
          public void start() {
            throw new IllegalStateException("the saboteur fails its start on purpose");
          }
        };
      }
    };
  }

  /** The threads started since {@code before} still alive after up to 5 s (the JDK's common pool aside). */
  private static List<String> threadsLeft(Set<Thread> before) throws InterruptedException {
    List<String> left = List.of();
    for (int wait = 0; wait < 50; wait++) {
      left = Thread.getAllStackTraces().keySet().stream()
          .filter(t -> !before.contains(t) && t.isAlive())
          .map(Thread::getName)
          .filter(n -> !n.startsWith("ForkJoinPool.commonPool"))
          .sorted().toList();
      if (left.isEmpty()) {
        break;
      }
      Thread.sleep(100);
    }
    return left;
  }

  // ---------------------------------------------------------------------- concurrency

  /** Adds to {@code failures} what the concurrency check found wrong; returns the operations checked. */
  public int checkConcurrency(List<String> failures) throws InterruptedException, ExecutionException {
    List<ObservedPlugin> created = new ArrayList<>();
    MixedWorkload workload = new MixedWorkload(threads, opsPerThread, 24, seed);
    LongAdder metricsFailures = new LongAdder();
    AtomicBoolean done = new AtomicBoolean();
    MixedWorkload.History history;
    long hostCounted;
    MixedWorkload.Counts counted;
    try (WarpEngine engine = Warp.open(options().addPlugin(ObservedPlugin.wrap(provider, created)).build())) {
      Thread reader = Thread.ofPlatform().name("conformance-metrics-reader").start(() -> {
        while (!done.get()) {
          try {
            engine.metrics();
          } catch (RuntimeException e) {
            metricsFailures.increment();
          }
        }
      });
      try {
        history = workload.run(engine, () -> { });
      } finally {
        done.set(true);
        reader.join();
      }
      hostCounted = engine.metrics().pluginMetrics().get(provider.name()).get("hookFailures").longValue();
      counted = MixedWorkload.Counts.of(engine.metrics());
    }
    ObservedPlugin p = created.getFirst();
    if (p.hookFailures.sum() > 0 || hostCounted > 0) {
      failures.add("hooks threw " + p.hookFailures.sum() + " times (engine counted " + hostCounted + ")");
    }
    if (p.otherFailures.sum() + metricsFailures.sum() > 0) {
      failures.add("metrics or close threw " + (p.otherFailures.sum() + metricsFailures.sum()) + " times");
    }
    List<String> violations = history.violations(removesValues ? RegisterModel.EVICTABLE : RegisterModel.MODEL);
    if (!violations.isEmpty()) {
      failures.add("keys with a non-linearizable history: " + violations);
    }
    if (!removesValues && !history.expectedCounts().equals(counted)) {
      failures.add("counters " + counted + " differ from the recorded results' " + history.expectedCounts());
    }
    return history.operations().size();
  }

  // ----------------------------------------------------------------------- allocation

  /**
   * Adds to {@code failures} an allocation over the budget; returns the bytes per operation
   * measured on the bare engine and with the plugin.
   */
  public double[] checkAllocation(List<String> failures) {
    com.sun.management.ThreadMXBean mx =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    if (!mx.isThreadAllocatedMemorySupported()) {
      failures.add("this JVM cannot measure a thread's allocation");
      return new double[] {Double.NaN, Double.NaN};
    }
    mx.setThreadAllocatedMemoryEnabled(true);
    double bare = Double.MAX_VALUE;
    double with = Double.MAX_VALUE;
    try (WarpEngine bareEngine = Warp.open(options().build());
         WarpEngine pluginEngine = Warp.open(options().addPlugin(provider).build())) {
      for (int round = 0; round < 3; round++) {
        bare = Math.min(bare, bytesPerOp(mx, bareEngine));
        with = Math.min(with, bytesPerOp(mx, pluginEngine));
      }
    }
    if (with - bare > budget) {
      failures.add(String.format("hooks allocate %.1f bytes per operation beyond the bare engine's"
          + " %.1f, over the budget of %.1f", with - bare, bare, budget));
    }
    return new double[] {bare, with};
  }

  private static final int KEYS = 1024;

  /** Warms up, then runs the operation mix and returns the bytes this thread allocated per operation. */
  private double bytesPerOp(com.sun.management.ThreadMXBean mx, WarpEngine engine) {
    String[] keys = new String[KEYS];
    byte[] value = new byte[16];
    for (int i = 0; i < KEYS; i++) {
      keys[i] = "alloc:" + i;
      engine.put(keys[i], value);
    }
    runMix(engine, keys, value, allocationOps); // warm-up: JIT compiled, buffers sized
    long thread = Thread.currentThread().threadId();
    long before = mx.getThreadAllocatedBytes(thread);
    long sink = runMix(engine, keys, value, allocationOps);
    long allocated = mx.getThreadAllocatedBytes(thread) - before;
    if (sink == Long.MIN_VALUE) {
      throw new AssertionError("unreachable: keeps the reads from being optimised away");
    }
    return (double) allocated / allocationOps;
  }

  /** Of every 8 operations: 4 gets, 2 overwrites, 1 contains, 1 delete then put. */
  private static long runMix(WarpEngine engine, String[] keys, byte[] value, int ops) {
    long sink = 0;
    for (int i = 0; i < ops; i++) {
      String key = keys[(int) ((i * 0x9E3779B97F4A7C15L) >>> 54) & (KEYS - 1)];
      switch (i & 7) {
        case 0, 2, 4, 6 -> {
          byte[] found = engine.get(key);
          sink += found == null ? 0 : found.length;
        }
        case 1, 5 -> engine.put(key, value);
        case 3 -> sink += engine.contains(key) ? 1 : 0;
        default -> {
          engine.delete(key);
          engine.put(key, value);
        }
      }
    }
    return sink;
  }
}
