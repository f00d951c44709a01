package io.warpengine.physics.quantum.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LearnerBudgetTest {

  private static final long MS = 1_000_000L;

  @Test
  void aWindowOverTheCapWidensTheGapAndOneWellUnderItNarrowsIt() {
    LearnerBudget budget = new LearnerBudget(0.05, 0);
    // 20 passes of 4 ms in one second: 8% of a core. Until the window closes, no gap.
    for (int i = 0; i < 19; i++) {
      assertTrue(budget.passedIdle(i * 50 * MS, i * 50 * MS + 4 * MS));
    }
    budget.passed(996 * MS, 1_000 * MS);
    assertEquals(0.08, budget.lastShare(), 1e-9);
    assertEquals(1, budget.gap());
    // The next second: 8% again, the gap doubles; then 3% (under the cap, over a quarter of
    // it) keeps it; 1% (under a quarter) halves it.
    budget.passed(1_920 * MS, 2_000 * MS);
    assertEquals(2, budget.gap());
    budget.passed(2_970 * MS, 3_000 * MS);
    assertEquals(0.03, budget.lastShare(), 1e-9);
    assertEquals(2, budget.gap());
    budget.passed(3_990 * MS, 4_000 * MS);
    assertEquals(0.01, budget.lastShare(), 1e-9);
    assertEquals(1, budget.gap());
    budget.passed(4_990 * MS, 5_000 * MS);
    assertEquals(0, budget.gap(), "back to no gap at all");
  }

  @Test
  void withAGapOfTwoTheThirdIdlePassOpensABurst() {
    LearnerBudget budget = new LearnerBudget(0.05, 0);
    budget.passed(0, 1_000 * MS); // a whole second busy: gap 1
    budget.passed(1_000 * MS, 2_000 * MS); // and again: gap 2
    assertEquals(2, budget.gap());
    long t = 2_000 * MS;
    for (int round = 0; round < 3; round++) {
      assertFalse(budget.passedIdle(t, t), "round " + round);
      assertFalse(budget.passedIdle(t, t));
      assertTrue(budget.passedIdle(t, t));
    }
  }

  @Test
  void theGapStopsGrowingAtItsWidest() {
    LearnerBudget budget = new LearnerBudget(0.05, 0);
    for (int s = 0; s < 40; s++) {
      budget.passed(s * 1_000 * MS, (s + 1) * 1_000 * MS);
    }
    assertEquals(LearnerBudget.MAX_GAP, budget.gap());
  }

  @Test
  void theCapMustBeAShareOfOneCore() {
    assertThrows(IllegalArgumentException.class, () -> new LearnerBudget(0, 0));
    assertThrows(IllegalArgumentException.class, () -> new LearnerBudget(1.5, 0));
  }
}
