package io.warpengine.physics.quantum.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class LearnerBudgetTest {

  private static final long MS = 1_000_000L;

  @Test
  void aWindowOverTheCapThinsTheSampleAndOneWellUnderItMakesItDenser() {
    LearnerBudget budget = new LearnerBudget(0.05, 0);
    // 20 passes of 4 ms in one second: 8% of a core.
    for (int i = 0; i < 19; i++) {
      assertEquals(LearnerBudget.Verdict.KEEP, budget.passed(i * 50 * MS, i * 50 * MS + 4 * MS));
    }
    assertEquals(LearnerBudget.Verdict.THINNER, budget.passed(996 * MS, 1_000 * MS));
    assertEquals(0.08, budget.lastShare(), 1e-9);
    // The next second: 3% (under the cap, over a quarter of it), then 1% (under a quarter).
    assertEquals(LearnerBudget.Verdict.KEEP, budget.passed(1_970 * MS, 2_000 * MS));
    assertEquals(0.03, budget.lastShare(), 1e-9);
    assertEquals(LearnerBudget.Verdict.DENSER, budget.passed(2_990 * MS, 3_000 * MS));
    assertEquals(0.01, budget.lastShare(), 1e-9);
  }

  @Test
  void theRecorderThinsByHalvesAndComesBackNoDenserThanConfigured() {
    AccessRecorder recorder = new AccessRecorder(4, 16, 256);
    recorder.sampleMore();
    assertEquals(256, recorder.samplePeriod(), "never denser than configured");
    recorder.sampleLess();
    recorder.sampleLess();
    assertEquals(1_024, recorder.samplePeriod());
    for (int i = 0; i < 40; i++) {
      recorder.sampleLess();
    }
    assertEquals(AccessRecorder.SPARSEST_PERIOD, recorder.samplePeriod());
    recorder.sampleMore();
    assertEquals(AccessRecorder.SPARSEST_PERIOD / 2, recorder.samplePeriod());
  }

  @Test
  void theCapMustBeAShareOfOneCore() {
    assertThrows(IllegalArgumentException.class, () -> new LearnerBudget(0, 0));
    assertThrows(IllegalArgumentException.class, () -> new LearnerBudget(1.5, 0));
  }
}
