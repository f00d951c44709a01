package io.warpengine.bench.compare;

import io.warpengine.bench.compare.Contender.Session;
import io.warpengine.bench.io.Directories;
import io.warpengine.bench.workload.KeySpace;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.HdrHistogram.Histogram;

/**
 * Runs every workload at every thread count against every store of one run, and measures
 * throughput and latency.
 *
 * <p>How the run is fair to every store:
 * <ul>
 *   <li>All stores are opened and loaded with the same keys and values first (not measured),
 *       and stay open for the whole run.</li>
 *   <li><b>Alternation.</b> Each cell (workload x thread count) warms every store up once, then
 *       runs {@code rounds} rounds; a round gives each store one measured slice, the order
 *       rotating by one store each round. A slow drift of the machine (other processes, the
 *       disk's write-back, thermal) is thus spread over all stores instead of landing on the
 *       ones that happened to run last. A store's throughput is its operations over its slices'
 *       summed wall-clock time.</li>
 *   <li>Every thread replays its own key and operation sequence drawn ahead with a fixed seed
 *       (the same for every store), so generating keys is not measured.</li>
 *   <li>Latency is timed with {@code System.nanoTime()} around one operation in every
 *       {@code latencyEvery} (a fixed stride, so unbiased) and recorded in a per-thread
 *       HdrHistogram, merged after the slice; timing every operation would add two clock reads
 *       to operations that take tens of nanoseconds and flatten the ratios.</li>
 * </ul>
 * Every get must find its key (all keys are loaded and never deleted): misses are counted and
 * reported, and a store with any is flagged.
 */
public final class Comparison {

  /** Each thread's pre-drawn sequence length: long enough not to repeat in a short slice. */
  private static final int PLAN_LENGTH = 1 << 20;
  private static final long HIGHEST_NANOS = TimeUnit.MINUTES.toNanos(1);

  /**
   * What to run.
   *
   * @param opsPerSlice when positive, a slice ends after this many operations (all threads
   *                    together) instead of after {@code slice}
   */
  public record Settings(int keys, int valueSize, List<Integer> threads, List<Workload> workloads,
                         List<Contender> stores, Duration warmup, Duration slice, long opsPerSlice,
                         int rounds, int latencyEvery, long seed) {
    public Settings {
      threads = List.copyOf(threads);
      workloads = List.copyOf(workloads);
      stores = List.copyOf(stores);
      require(keys >= 1, "keys must be at least 1, was " + keys);
      require(valueSize >= 1, "value size must be at least 1 byte, was " + valueSize);
      require(!threads.isEmpty() && threads.stream().allMatch(t -> t >= 1),
          "thread counts must be at least 1, were " + threads);
      require(!workloads.isEmpty(), "name at least one workload");
      require(!stores.isEmpty(), "name at least one store");
      require(rounds >= 1, "rounds must be at least 1, was " + rounds);
      require(latencyEvery >= 1, "latency-every must be at least 1, was " + latencyEvery);
      require(opsPerSlice >= 0, "ops per slice must not be negative, was " + opsPerSlice);
      require(opsPerSlice > 0 || !slice.isNegative() && !slice.isZero(),
          "a slice needs a positive duration or an operation count");
      require(!warmup.isNegative(), "warm-up must not be negative, was " + warmup);
    }

    private static void require(boolean ok, String message) {
      if (!ok) {
        throw new IllegalArgumentException(message);
      }
    }
  }

  /**
   * One store's figures for one cell: operations, measured seconds, gets that found nothing,
   * and the latency percentiles in microseconds over {@code latencySamples} timed operations.
   */
  public record Result(String workload, int threads, Contender store, long ops, double seconds,
                       long misses, long latencySamples, double p50Micros, double p99Micros,
                       double p999Micros, double maxMicros) {
    public double opsPerSecond() {
      return ops / seconds;
    }
  }

  /** Where progress goes; the final figures are the {@link Result}s. */
  private final PrintStream progress;
  private final Settings settings;
  private final Path dir;
  private final boolean interactive =
      System.console() != null && System.console().isTerminal();

  public Comparison(Settings settings, Path dir, PrintStream progress) {
    this.settings = settings;
    this.dir = dir;
    this.progress = progress;
  }

  /** Runs everything; the results in cell order (thread count, workload), then store order. */
  public List<Result> run() throws Exception {
    KeySpace keys = new KeySpace(settings.keys());
    byte[] value = new byte[settings.valueSize()];
    new SplittableRandom(settings.seed()).nextBytes(value);
    Map<Contender, Session> open = new LinkedHashMap<>();
    List<Result> results = new ArrayList<>();
    try {
      for (Contender c : settings.stores()) {
        Path own = Files.createDirectories(dir.resolve(c.id()));
        long start = System.nanoTime();
        Session s = c.open(own, keys);
        open.put(c, s);
        s.load(settings.keys(), value);
        progress.printf(Locale.ROOT, "loaded %-25s %,d keys of %,d bytes in %.1f s%n", c.label,
            settings.keys(), settings.valueSize(), (System.nanoTime() - start) / 1e9);
      }
      int cells = settings.threads().size() * settings.workloads().size();
      int cell = 0;
      for (int threads : settings.threads()) {
        for (Workload w : settings.workloads()) {
          cell++;
          results.addAll(cell(w, threads, open, String.format(Locale.ROOT,
              "[%d/%d] %s, %d thread%s", cell, cells, w.name(), threads, threads == 1 ? "" : "s")));
        }
      }
    } finally {
      for (Session s : open.values()) {
        s.close();
      }
      if (Files.exists(dir)) {
        Directories.deleteTree(dir);
      }
    }
    if (interactive) {
      progress.printf("%-100s\r", "");
    }
    return results;
  }

  private List<Result> cell(Workload w, int threads, Map<Contender, Session> open, String title)
      throws Exception {
    Workload.Plan[] plans = new Workload.Plan[threads];
    for (int t = 0; t < threads; t++) {
      plans[t] = w.plan(settings.keys(), PLAN_LENGTH, settings.seed() * 31 + t);
    }
    List<Contender> stores = new ArrayList<>(open.keySet());
    Map<Contender, Slice> totals = new LinkedHashMap<>();
    for (Contender c : stores) {
      status(title, "warm-up", c);
      slice(open.get(c), plans, settings.warmup(), 0, 0);
      totals.put(c, new Slice(0, 0, 0, newHistogram()));
    }
    for (int round = 0; round < settings.rounds(); round++) {
      for (int i = 0; i < stores.size(); i++) {
        Contender c = stores.get((i + round) % stores.size());
        status(title, "round " + (round + 1) + "/" + settings.rounds(), c);
        Slice s = slice(open.get(c), plans, settings.slice(), settings.opsPerSlice(), round + 1);
        totals.get(c).add(s);
      }
    }
    List<Result> out = new ArrayList<>();
    for (Contender c : stores) {
      Slice s = totals.get(c);
      Histogram h = s.latency;
      out.add(new Result(w.name(), threads, c, s.ops, s.nanos / 1e9, s.misses,
          h.getTotalCount(), micros(h.getValueAtPercentile(50)), micros(h.getValueAtPercentile(99)),
          micros(h.getValueAtPercentile(99.9)), micros(h.getMaxValue())));
    }
    return out;
  }

  /**
   * The progress display: on a terminal one line rewritten in place for every slice; otherwise
   * (output to a file or a pipe) one line per cell.
   */
  private void status(String title, String phase, Contender c) {
    if (interactive) {
      progress.printf(Locale.ROOT, "%-100s\r", title + ": " + phase + ", " + c.label);
    } else if (phase.equals("warm-up") && c == settings.stores().getFirst()) {
      progress.println(title);
    }
  }

  private static double micros(long nanos) {
    return nanos / 1e3;
  }

  private static Histogram newHistogram() {
    return new Histogram(HIGHEST_NANOS, 3);
  }

  /** What one slice measured; also the running total of a store's slices in a cell. */
  private static final class Slice {
    long ops;
    long nanos;
    long misses;
    final Histogram latency;

    Slice(long ops, long nanos, long misses, Histogram latency) {
      this.ops = ops;
      this.nanos = nanos;
      this.misses = misses;
      this.latency = latency;
    }

    void add(Slice other) {
      ops += other.ops;
      nanos += other.nanos;
      misses += other.misses;
      latency.add(other.latency);
    }
  }

  /**
   * Runs every thread's plan against {@code store} for {@code duration}, or, when {@code ops}
   * is positive, until the threads have done {@code ops} operations between them. Threads start
   * together; the time is from the start signal until the last thread has stopped.
   */
  private Slice slice(Session store, Workload.Plan[] plans, Duration duration, long ops,
                      int sliceNumber) throws Exception {
    int threads = plans.length;
    AtomicBoolean stop = new AtomicBoolean();
    CountDownLatch ready = new CountDownLatch(threads);
    CountDownLatch go = new CountDownLatch(1);
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    long[] done = new long[threads];
    long[] misses = new long[threads];
    Histogram[] latency = new Histogram[threads];
    long perThread = ops > 0 ? (ops + threads - 1) / threads : Long.MAX_VALUE;
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int id = t;
      latency[t] = newHistogram();
      byte[] value = new byte[settings.valueSize()];
      new SplittableRandom(settings.seed() + id).nextBytes(value);
      workers.add(Thread.ofPlatform().name("bench-" + id).start(() -> {
        ready.countDown();
        try {
          go.await();
          work(store, plans[id], (sliceNumber * 7919 + id * 104_729) % PLAN_LENGTH, perThread,
              stop, value, latency[id], done, misses, id);
        } catch (Throwable e) {
          failures.add(e);
        }
      }));
    }
    ready.await();
    long start = System.nanoTime();
    go.countDown();
    if (ops == 0) {
      Thread.sleep(duration);
      stop.set(true);
    }
    for (Thread w : workers) {
      w.join();
    }
    long elapsed = System.nanoTime() - start;
    if (!failures.isEmpty()) {
      throw new IllegalStateException("a worker failed", failures.getFirst());
    }
    Slice s = new Slice(0, elapsed, 0, newHistogram());
    for (int t = 0; t < threads; t++) {
      s.ops += done[t];
      s.misses += misses[t];
      s.latency.add(latency[t]);
    }
    return s;
  }

  /** One thread's loop; its counts go to {@code done[id]} and {@code misses[id]}. */
  private void work(Session store, Workload.Plan plan, int from, long limit, AtomicBoolean stop,
                    byte[] value, Histogram latency, long[] done, long[] misses, int id) {
    int[] keys = plan.keys();
    boolean[] reads = plan.reads();
    int every = settings.latencyEvery();
    int untilTimed = 0;
    long n = 0;
    long missed = 0;
    int i = from;
    while (n < limit && !stop.get()) {
      boolean timed = untilTimed == 0;
      long t0 = timed ? System.nanoTime() : 0;
      if (reads[i]) {
        if (store.get(keys[i]) == null) {
          missed++;
        }
      } else {
        store.put(keys[i], value);
      }
      if (timed) {
        latency.recordValue(Math.min(System.nanoTime() - t0, HIGHEST_NANOS));
        untilTimed = every;
      }
      untilTimed--;
      n++;
      if (++i == keys.length) {
        i = 0;
      }
    }
    done[id] = n;
    misses[id] = missed;
  }
}
