package io.warpengine.physics.gravity.internal;

import java.util.HashMap;
import java.util.Map;

/**
 * Mass: each centre's decayed access frequency, weighted (by priority hint and value size; the
 * weights come from the caller), in bounded memory: a count-min sketch estimates every centre's
 * mass, and a heavy-hitter list (at most {@code capacity} centres, the heaviest admitted when
 * their estimate beats the lightest listed) keeps the mass of the centres worth moving. Each
 * shard's total mass is kept as well. {@link #decay} scales everything by one factor (Hawking
 * radiation), so all figures are comparable at any time.
 *
 * <p>Not thread-safe: the plugin drives it from one thread at a time, under its lock.
 */
final class MassTracker {

  private static final int DEPTH = 4;
  private static final long[] SEEDS = {0x9E3779B97F4A7C15L, 0xC2B2AE3D27D4EB4FL,
      0x165667B19E3779F9L, 0xD6E8FEB86659FD93L};

  private final double[] sketch;
  private final int widthMask;
  private final Map<String, double[]> heavy = new HashMap<>();
  private final int capacity;
  private final double[] shardMass;
  /** The lightest mass in {@link #heavy}, or a lower bound of it; NaN when unknown. */
  private double lightest = Double.NaN;

  MassTracker(int shards, int sketchWidth, int capacity) {
    if (Integer.bitCount(sketchWidth) != 1) {
      throw new IllegalArgumentException("gravity.sketchWidth must be a power of two, was " + sketchWidth);
    }
    if (capacity < 1) {
      throw new IllegalArgumentException("gravity.heavyHitters must be at least 1, was " + capacity);
    }
    this.sketch = new double[DEPTH * sketchWidth];
    this.widthMask = sketchWidth - 1;
    this.capacity = capacity;
    this.shardMass = new double[shards];
  }

  /** An access of {@code weight} to {@code centre}, which lives in {@code shard}. */
  void record(String centre, int shard, double weight) {
    shardMass[shard] += weight;
    double[] listed = heavy.get(centre);
    double estimate = addToSketch(centre.hashCode(), weight);
    if (listed != null) {
      listed[0] += weight;
      return;
    }
    if (heavy.size() < capacity) {
      heavy.put(centre, new double[] {estimate});
      lightest = Double.NaN;
      return;
    }
    if (Double.isNaN(lightest)) {
      lightest = heavy.values().stream().mapToDouble(m -> m[0]).min().orElse(0);
    }
    if (estimate > lightest) {
      String victim = null;
      double min = Double.MAX_VALUE;
      for (Map.Entry<String, double[]> e : heavy.entrySet()) {
        if (e.getValue()[0] < min) {
          min = e.getValue()[0];
          victim = e.getKey();
        }
      }
      if (estimate <= min) { // lightest was only a lower bound: listed masses grew since
        lightest = min;
        return;
      }
      heavy.remove(victim);
      heavy.put(centre, new double[] {estimate});
      lightest = Double.NaN;
    }
  }

  private double addToSketch(int hash, double weight) {
    double min = Double.MAX_VALUE;
    for (int row = 0; row < DEPTH; row++) {
      int i = row * (widthMask + 1) + index(hash, row);
      sketch[i] += weight;
      min = Math.min(min, sketch[i]);
    }
    return min;
  }

  private int index(int hash, int row) {
    long x = (hash + SEEDS[row]) * SEEDS[(row + 1) % DEPTH];
    return (int) (x >>> 40) & widthMask;
  }

  /** The centre's mass: exact since it was listed if it is a heavy hitter, else the estimate. */
  double massOf(String centre) {
    double[] listed = heavy.get(centre);
    if (listed != null) {
      return listed[0];
    }
    double min = Double.MAX_VALUE;
    for (int row = 0; row < DEPTH; row++) {
      min = Math.min(min, sketch[row * (widthMask + 1) + index(centre.hashCode(), row)]);
    }
    return min;
  }

  /** The listed heavy hitters and their masses (a copy). */
  Map<String, Double> heavyHitters() {
    Map<String, Double> out = new HashMap<>(heavy.size() * 2);
    heavy.forEach((c, m) -> out.put(c, m[0]));
    return out;
  }

  /** A copy of every shard's mass. */
  double[] shardMass() {
    return shardMass.clone();
  }

  /** {@code centre}, of mass {@code mass}, moved from {@code from} to {@code to}. */
  void moved(double mass, int from, int to) {
    shardMass[from] = Math.max(0, shardMass[from] - mass);
    shardMass[to] += mass;
  }

  /** Multiplies every mass by {@code factor} in (0, 1]. */
  void decay(double factor) {
    for (int i = 0; i < sketch.length; i++) {
      sketch[i] *= factor;
    }
    for (double[] m : heavy.values()) {
      m[0] *= factor;
    }
    for (int i = 0; i < shardMass.length; i++) {
      shardMass[i] *= factor;
    }
    lightest = Double.NaN;
  }

  /** Coefficient of variation (standard deviation / mean) of {@code masses}; 0 if all are 0. */
  static double variation(double[] masses) {
    double sum = 0;
    for (double m : masses) {
      sum += m;
    }
    if (sum <= 0) {
      return 0;
    }
    double mean = sum / masses.length;
    double squares = 0;
    for (double m : masses) {
      squares += (m - mean) * (m - mean);
    }
    return Math.sqrt(squares / masses.length) / mean;
  }
}
