package io.warpengine.bench.quantum;

import io.warpengine.Warp;
import io.warpengine.WarpOptions;
import io.warpengine.api.SyncPolicy;
import io.warpengine.api.WarpEngine;
import io.warpengine.bench.io.Directories;
import io.warpengine.physics.quantum.Entanglement;
import io.warpengine.physics.quantum.Observation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * What {@code quantumGet} of a key and its five partners costs against six separate
 * {@code get}s of the same keys, on the same engine and data, in the same run.
 *
 * <p>{@code groups} groups of six keys ({@code a:N} ... {@code f:N}, 100-byte values) are
 * entangled by one rule ({@code quantum.rules = a:{id}, b:{id}, ..., f:{id}}), so {@code
 * quantumGet("a:N", 5, 0.1)} observes the whole group. Rounds alternate between the two ways of
 * reading the same seeded sequence of groups, so drift of the machine hits both alike; each
 * figure is the total time over the measured rounds divided by the groups read. Every observed
 * group must come back whole, or the run fails.
 *
 * <p>Two engines: in memory (every physics module on the path, no budget), and durable with the
 * event horizon at {@code cache.maxEntries = 1,000}, so nearly every value is on disk only (the
 * files were just written: the page cache is warm). There a {@code get} brings its value back
 * onto the heap (pushing another one out); {@code quantumGet} reads the six records as one
 * batch and leaves them beyond the horizon.
 *
 * @param groups        groups of six keys
 * @param groupsPerRound groups read per round, by each of the two ways
 * @param rounds        measured rounds of each way (after one warm-up round of each)
 * @param seed          fixes the sequence of groups
 */
public record ObservationCost(int groups, int groupsPerRound, int rounds, long seed) {

  private static final String[] TEMPLATES = {"a", "b", "c", "d", "e", "f"};
  private static final int VALUE_BYTES = 100;

  /** Nanoseconds per group read with one {@code quantumGet} and with six {@code get}s. */
  public record Result(String engine, double quantumGetNanos, double sixGetsNanos) {
    /** How many times faster {@code quantumGet} is (below 1: slower). */
    public double speedup() {
      return sixGetsNanos / quantumGetNanos;
    }
  }

  public static ObservationCost standard() {
    return new ObservationCost(50_000, 20_000, 5, 1);
  }

  public Result inMemory() {
    try (WarpEngine engine = Warp.open(options().build())) {
      return measure("in memory", engine);
    }
  }

  public Result beyondHorizon() throws IOException {
    Path dir = Files.createTempDirectory("warp-quantum-observe");
    try {
      WarpOptions.Builder o = options().dataDirectory(dir).syncPolicy(SyncPolicy.NONE)
          .property("cache.maxEntries", "1000");
      try (WarpEngine engine = Warp.open(o.build())) {
        return measure("beyond the horizon (cache.maxEntries 1,000, warp-wal)", engine);
      }
    } finally {
      Directories.deleteTree(dir);
    }
  }

  private static WarpOptions.Builder options() {
    return WarpOptions.builder()
        .property("quantum.rules", String.join(", ",
            Stream.of(TEMPLATES).map(t -> t + ":{id}").toList()));
  }

  private Result measure(String name, WarpEngine engine) {
    Entanglement q = engine.plugin(Entanglement.class).orElseThrow(() ->
        new IllegalStateException("the quantum plugin (warp-physics-quantum) is not on the path"));
    SplittableRandom random = new SplittableRandom(seed);
    byte[] value = new byte[VALUE_BYTES];
    for (int g = 0; g < groups; g++) {
      for (String t : TEMPLATES) {
        random.nextBytes(value);
        engine.put(t + ":" + g, value);
      }
    }
    long observeNanos = 0;
    long getNanos = 0;
    for (int round = 0; round <= rounds; round++) {
      int[] sequence = new SplittableRandom(seed * 31 + round).ints(groupsPerRound, 0, groups)
          .toArray();
      long t0 = System.nanoTime();
      long observed = observe(q, sequence);
      long t1 = System.nanoTime();
      long got = getEach(engine, sequence);
      long t2 = System.nanoTime();
      if (observed != got) {
        throw new IllegalStateException("quantumGet read " + observed + " bytes, the gets "
            + got + ": not the same values");
      }
      if (round > 0) { // round 0 warms both up
        observeNanos += t1 - t0;
        getNanos += t2 - t1;
      }
    }
    double per = (double) groupsPerRound * rounds;
    return new Result(name, observeNanos / per, getNanos / per);
  }

  private static long observe(Entanglement q, int[] sequence) {
    long bytes = 0;
    for (int g : sequence) {
      Observation o = q.quantumGet("a:" + g, 5, Entanglement.DEFAULT_MIN_STRENGTH);
      if (o.value() == null || o.partners().size() != 5) {
        throw new IllegalStateException("group " + g + " came back with " + o.partners().size()
            + " of 5 partners");
      }
      bytes += o.value().length;
      for (byte[] v : o.partners().values()) {
        bytes += v.length;
      }
    }
    return bytes;
  }

  private static long getEach(WarpEngine engine, int[] sequence) {
    long bytes = 0;
    for (int g : sequence) {
      for (String t : TEMPLATES) {
        byte[] v = engine.get(t + ":" + g);
        if (v == null) {
          throw new IllegalStateException(t + ":" + g + " is missing");
        }
        bytes += v.length;
      }
    }
    return bytes;
  }

  /** Both engines, in memory first. */
  public List<Result> run() throws IOException {
    return List.of(inMemory(), beyondHorizon());
  }
}
