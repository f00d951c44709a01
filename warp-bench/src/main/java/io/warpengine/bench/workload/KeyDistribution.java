package io.warpengine.bench.workload;

import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * Draws key indexes from {@code [0, keys())}. An instance is immutable and may be shared by
 * threads: the randomness comes from the caller's generator, so each thread keeps its own.
 */
public sealed interface KeyDistribution permits KeyDistribution.Uniform, Zipfian {

  /** The number of distinct key indexes. */
  int keys();

  /** The next key index, from {@code random}. */
  int next(RandomGenerator random);

  /**
   * {@code length} key indexes drawn with a {@link SplittableRandom} seeded with {@code seed}:
   * the same arguments always give the same sequence. Benchmarks draw their keys ahead of time
   * so that generating them is not part of what they measure.
   */
  default int[] sequence(int length, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    int[] out = new int[length];
    for (int i = 0; i < length; i++) {
      out[i] = next(random);
    }
    return out;
  }

  /** Every key index equally likely. */
  record Uniform(int keys) implements KeyDistribution {
    public Uniform {
      if (keys < 1) {
        throw new IllegalArgumentException("keys must be at least 1, was " + keys);
      }
    }

    @Override
    public int next(RandomGenerator random) {
      return random.nextInt(keys);
    }
  }
}
