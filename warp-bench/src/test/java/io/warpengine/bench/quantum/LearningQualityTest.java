package io.warpengine.bench.quantum;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A small run of the learning-quality benchmark: the counts add up and something was learned. */
class LearningQualityTest {

  @Test
  void confusionCountsAddUpToTheGroundTruth() throws Exception {
    LearningQuality small = new LearningQuality(7, 20, 4, 300, 2, 0.3, 500);
    LearningQuality.Result r = small.run();
    // Every grouped key has groupSize - 1 true partners: found or missed.
    assertEquals(20L * 4 * 3, r.truePositives() + r.falseNegatives());
    assertTrue(r.truePositives() > 0, r.toString());
    assertEquals((double) r.truePositives() / (r.truePositives() + r.falsePositives()), r.precision());
    // 2 callers x 300 sessions x 4 keys, and one noise read before each key with probability 0.3
    assertTrue(r.reads() >= 2 * 300 * 4 && r.reads() <= 2 * 300 * 8, r.toString());
    assertTrue(r.sampledReads() > 0 && r.sampledReads() <= r.reads(), r.toString());
  }
}
