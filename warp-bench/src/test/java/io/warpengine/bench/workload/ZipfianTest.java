package io.warpengine.bench.workload;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Draws a fixed-seed sequence and compares its frequencies with the Zipf law. */
class ZipfianTest {

  private static final int KEYS = 1000;
  private static final int DRAWS = 2_000_000;

  private final Zipfian zipf = new Zipfian(KEYS, Zipfian.YCSB_THETA);
  private final long[] counts = count(zipf.sequence(DRAWS, 7));

  @Test
  void theTwoHottestIndexesHaveTheirExactProbabilities() {
    for (int i = 0; i <= 1; i++) {
      double p = zipf.probability(i);
      double sigma = Math.sqrt(p * (1 - p) / DRAWS);
      double f = counts[i] / (double) DRAWS;
      assertTrue(Math.abs(f - p) < 5 * sigma, "index " + i + ": frequency " + f + ", law " + p);
    }
  }

  @Test
  void theHeadHoldsTheMassTheLawGivesIt() {
    assertHeadMass(10, 0.02);
    assertHeadMass(KEYS / 10, 0.015);
    assertHeadMass(KEYS / 2, 0.005);
  }

  @Test
  void everyIndexIsDrawnAndNoneOutsideTheRange() {
    for (long c : counts) {
      assertTrue(c > 0, "every index is drawn at least once in " + DRAWS + " draws");
    }
    assertEquals(DRAWS, Arrays.stream(counts).sum());
  }

  @Test
  void aSeedGivesTheSameSequenceAndAnotherSeedAnother() {
    assertArrayEquals(zipf.sequence(1000, 3), zipf.sequence(1000, 3));
    assertFalse(Arrays.equals(zipf.sequence(1000, 3), zipf.sequence(1000, 4)));
  }

  @Test
  void uniformDrawsEveryIndexAboutEquallyOften() {
    long[] uniform = count(Distribution.UNIFORM.over(KEYS).sequence(DRAWS, 7));
    double expected = DRAWS / (double) KEYS;
    for (long c : uniform) {
      assertTrue(Math.abs(c - expected) < 6 * Math.sqrt(expected), "count " + c);
    }
  }

  @Test
  void rejectsASkewOutsideZeroToOne() {
    assertThrows(IllegalArgumentException.class, () -> new Zipfian(KEYS, 1.0));
    assertThrows(IllegalArgumentException.class, () -> new Zipfian(KEYS, 0));
    assertThrows(IllegalArgumentException.class, () -> new Zipfian(0, 0.5));
  }

  private void assertHeadMass(int head, double tolerance) {
    double law = 0;
    long drawn = 0;
    for (int i = 0; i < head; i++) {
      law += zipf.probability(i);
      drawn += counts[i];
    }
    double f = drawn / (double) DRAWS;
    assertTrue(Math.abs(f - law) < tolerance,
        "the " + head + " hottest indexes: frequency " + f + ", law " + law);
  }

  private static long[] count(int[] sequence) {
    long[] counts = new long[KEYS];
    for (int i : sequence) {
      counts[i]++;
    }
    return counts;
  }
}
