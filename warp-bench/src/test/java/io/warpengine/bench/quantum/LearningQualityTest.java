package io.warpengine.bench.quantum;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * A small run of the learning-quality benchmark: the counts add up and something was learned;
 * and precision and recall from counts worked by hand.
 */
class LearningQualityTest {

  @Test
  void confusionCountsAddUpToTheGroundTruth() throws Exception {
    LearningQuality small = new LearningQuality(7, 20, 4, 300, 2, 0.3, 500);
    LearningQuality.Result r = small.run();
    // Every grouped key has groupSize - 1 true partners: found or missed.
    assertEquals(20L * 4 * 3, r.truePositives() + r.falseNegatives());
    assertTrue(r.truePositives() > 0, r.toString());
    // 2 callers x 300 sessions x 4 keys, and one noise read before each key with probability 0.3
    assertTrue(r.reads() >= 2 * 300 * 4 && r.reads() <= 2 * 300 * 8, r.toString());
    assertTrue(r.sampledReads() > 0 && r.sampledReads() <= r.reads(), r.toString());
  }

  @Test
  void precisionAndRecallAreTheSharesOfRightPartnersFoundAndOfTruePartnersFound() {
    // 3 of 4 partners found are right; 3 of 5 true partners are found
    LearningQuality.Result r = new LearningQuality.Result(3, 1, 2, 0, 0);
    assertEquals(0.75, r.precision(), 1e-12);
    assertEquals(0.6, r.recall(), 1e-12);
    // nothing found: no precision to speak of, printed as 0 rather than NaN
    LearningQuality.Result none = new LearningQuality.Result(0, 0, 5, 0, 0);
    assertEquals(0.0, none.precision());
    assertEquals(0.0, none.recall());
  }
}
