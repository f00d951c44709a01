package io.warpengine.physics.entropy.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.warpengine.physics.entropy.Entropy;
import io.warpengine.physics.entropy.EntropyState;
import org.junit.jupiter.api.Test;

/** Entropies and trends against values worked by hand. */
class EntropyMathTest {

  @Test
  void uniformIsOne() {
    assertEquals(1.0, Entropy.normalized(new long[] {10, 10, 10, 10}), 1e-12);
  }

  @Test
  void oneHotIsZero() {
    assertEquals(0.0, Entropy.normalized(new long[] {40, 0, 0, 0}), 1e-12);
  }

  @Test
  void twoLevel() {
    // p = 3/4, 1/4: H = -(0.75 log2 0.75 + 0.25 log2 0.25) = 0.811278 bits; log2 2 = 1.
    assertEquals(0.8112781244591328, Entropy.normalized(new long[] {30, 10}), 1e-12);
    // The same split over 4 shards, two of them empty: 0.811278 / log2 4.
    assertEquals(0.4056390622295664, Entropy.normalized(new long[] {30, 10, 0, 0}), 1e-12);
  }

  @Test
  void halfTheShardsEmpty() {
    // Two equal buckets of four: H = 1 bit, log2 4 = 2.
    assertEquals(0.5, Entropy.normalized(new long[] {5, 5, 0, 0}), 1e-12);
  }

  @Test
  void nothingToMeasureIsEven() {
    assertEquals(1.0, Entropy.normalized(new long[] {0, 0, 0}));
    assertEquals(1.0, Entropy.normalized(new long[] {7}));
    assertEquals(1.0, Entropy.normalized(new long[0]));
    assertThrows(IllegalArgumentException.class, () -> Entropy.normalized(new long[] {1, -1}));
  }

  @Test
  void slopeIsTheLeastSquaresFit() {
    assertEquals(-0.1, Entropy.slope(new double[] {0.9, 0.8, 0.7}), 1e-12);
    assertEquals(0.0, Entropy.slope(new double[] {0.5, 0.5, 0.5, 0.5}), 1e-12);
    // Points (0,1) (1,0) (2,1): mean x 1, mean y 2/3, slope 0.
    assertEquals(0.0, Entropy.slope(new double[] {1, 0, 1}), 1e-12);
    // (0,0) (1,1) (2,1) (3,3): Σ(x-1.5)(y-1.25) = 4.5, Σ(x-1.5)² = 5 → 0.9.
    assertEquals(0.9, Entropy.slope(new double[] {0, 1, 1, 3}), 1e-12);
    assertEquals(0.0, Entropy.slope(new double[] {0.4}));
  }

  @Test
  void statesFollowTheDocumentedThresholds() {
    assertEquals(EntropyState.CRITICAL, EntropyState.of(0.49, 0, 0.85));
    assertEquals(EntropyState.CHAOTIC, EntropyState.of(0.9, -0.06, 0.85));
    assertEquals(EntropyState.FLUCTUATING, EntropyState.of(0.9, 0.02, 0.85));
    assertEquals(EntropyState.FLUCTUATING, EntropyState.of(0.8, 0, 0.85));
    assertEquals(EntropyState.STABLE, EntropyState.of(0.95, 0.005, 0.85));
  }
}
