package io.warpengine.bench.cli;

import io.warpengine.api.WarpEngine;
import io.warpengine.bench.workload.KeyDistribution;
import io.warpengine.bench.workload.KeySpace;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The demo's mixed workload: {@code ops} operations split over {@code threads} platform threads,
 * each drawing a key from a {@link KeyDistribution} and an operation from a {@link Mix}.
 *
 * <p>Each worker counts what it did in plain local fields and returns a {@link Tally}; the sum of
 * the tallies is the exact record of the run. For the live progress display, workers also add to
 * a shared {@link LongAdder} once every {@value #PROGRESS_BATCH} operations, so that reporting
 * costs the hot loop almost nothing; the calling thread reads it while it waits for the workers.
 * The elapsed time is taken with {@link System#nanoTime()} from just before the first worker is
 * submitted to the moment the last one finishes.
 */
final class DemoWorkload {

  /** How often the progress listener is called while the workers run. */
  static final Duration PROGRESS_INTERVAL = Duration.ofMillis(200);
  private static final int PROGRESS_BATCH = 1024;

  /** The share of each operation, in percent; puts take what gets and deletes leave. */
  record Mix(int getPercent, int deletePercent) {
    Mix {
      if (getPercent < 0 || deletePercent < 0 || getPercent + deletePercent > 100) {
        throw new IllegalArgumentException("get and delete percentages must be 0 or more and add"
            + " up to at most 100, were " + getPercent + " and " + deletePercent);
      }
    }

    int putPercent() {
      return 100 - getPercent - deletePercent;
    }
  }

  /** What workers did: gets (hits: found a value), puts, deletes (removed: found a key). */
  record Tally(long gets, long hits, long puts, long deletes, long removed) {
    static final Tally NONE = new Tally(0, 0, 0, 0, 0);

    long ops() {
      return gets + puts + deletes;
    }

    Tally plus(Tally o) {
      return new Tally(gets + o.gets, hits + o.hits, puts + o.puts, deletes + o.deletes,
          removed + o.removed);
    }
  }

  /** What the whole run did, and how long it took. */
  record Result(Tally tally, long elapsedNanos) {}

  /** Called on the caller's thread every {@link #PROGRESS_INTERVAL} while the workers run. */
  @FunctionalInterface
  interface ProgressListener {
    void progress(long opsDone, long elapsedNanos);
  }

  private final WarpEngine engine;
  private final KeySpace keys;
  private final KeyDistribution distribution;
  private final Mix mix;
  private final int valueSize;

  DemoWorkload(WarpEngine engine, KeySpace keys, KeyDistribution distribution, Mix mix,
      int valueSize) {
    if (distribution.keys() != keys.size()) {
      throw new IllegalArgumentException("the distribution covers " + distribution.keys()
          + " keys but the key space has " + keys.size());
    }
    this.engine = engine;
    this.keys = keys;
    this.distribution = distribution;
    this.mix = mix;
    this.valueSize = valueSize;
  }

  /**
   * Runs {@code ops} operations on {@code threads} threads; worker {@code t} seeds its random
   * generator with {@code seed + t}, so a run is repeatable.
   */
  Result run(long ops, int threads, long seed, ProgressListener listener)
      throws InterruptedException {
    LongAdder done = new LongAdder();
    CountDownLatch finished = new CountDownLatch(threads);
    List<Future<Tally>> workers = new ArrayList<>(threads);
    long start = System.nanoTime();
    long elapsed;
    try (ExecutorService pool = Executors.newFixedThreadPool(threads,
        Thread.ofPlatform().name("warp-demo-", 1).daemon().factory())) {
      for (int t = 0; t < threads; t++) {
        long share = ops / threads + (t < ops % threads ? 1 : 0);
        long workerSeed = seed + t;
        workers.add(pool.submit(() -> {
          try {
            return work(share, workerSeed, done);
          } finally {
            finished.countDown();
          }
        }));
      }
      while (!finished.await(PROGRESS_INTERVAL.toMillis(), TimeUnit.MILLISECONDS)) {
        listener.progress(done.sum(), System.nanoTime() - start);
      }
      elapsed = System.nanoTime() - start;
    }
    Tally total = Tally.NONE;
    for (Future<Tally> worker : workers) {
      try {
        total = total.plus(worker.get());
      } catch (ExecutionException e) {
        throw new IllegalStateException("a workload thread failed: " + e.getCause(), e.getCause());
      }
    }
    return new Result(total, elapsed);
  }

  private Tally work(long ops, long seed, LongAdder done) {
    SplittableRandom random = new SplittableRandom(seed);
    byte[] value = new byte[valueSize];
    random.nextBytes(value);
    int deleteBelow = mix.getPercent() + mix.deletePercent();
    long gets = 0;
    long hits = 0;
    long puts = 0;
    long deletes = 0;
    long removed = 0;
    for (long i = 1; i <= ops; i++) {
      String key = keys.name(distribution.next(random));
      int dice = random.nextInt(100);
      if (dice < mix.getPercent()) {
        gets++;
        if (engine.get(key) != null) {
          hits++;
        }
      } else if (dice < deleteBelow) {
        deletes++;
        if (engine.delete(key)) {
          removed++;
        }
      } else {
        puts++;
        engine.put(key, value);
      }
      if (i % PROGRESS_BATCH == 0) {
        done.add(PROGRESS_BATCH);
      }
    }
    done.add(ops % PROGRESS_BATCH);
    return new Tally(gets, hits, puts, deletes, removed);
  }
}
