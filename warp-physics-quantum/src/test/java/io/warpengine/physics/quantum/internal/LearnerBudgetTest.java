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
    LearnerBudget budget = new LearnerBudget(0.05, 1, 0);
    // 20 passes of 4 ms in one second: 8% of a core. Until the window closes, no gap.
    for (int i = 0; i < 19; i++) {
      assertTrue(budget.passedIdle(i * 50 * MS, i * 50 * MS + 4 * MS, 0, 0));
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
    LearnerBudget budget = new LearnerBudget(0.05, 1, 0);
    budget.passed(0, 1_000 * MS); // a whole second busy: gap 1
    budget.passed(1_000 * MS, 2_000 * MS); // and again: gap 2
    assertEquals(2, budget.gap());
    long t = 2_000 * MS;
    for (int round = 0; round < 3; round++) {
      assertFalse(budget.passedIdle(t, t, 0, 0), "round " + round);
      assertFalse(budget.passedIdle(t, t, 0, 0));
      assertTrue(budget.passedIdle(t, t, 0, 0));
    }
  }

  @Test
  void theGapStopsGrowingAtItsWidest() {
    LearnerBudget budget = new LearnerBudget(0.05, 1, 0);
    for (int s = 0; s < 40; s++) {
      budget.passed(s * 1_000 * MS, (s + 1) * 1_000 * MS);
    }
    assertEquals(LearnerBudget.MAX_GAP, budget.gap());
  }

  @Test
  void theCapMustBeAShareOfOneCore() {
    assertThrows(IllegalArgumentException.class, () -> new LearnerBudget(0, 1, 0));
    assertThrows(IllegalArgumentException.class, () -> new LearnerBudget(1.5, 1, 0));
  }

  @Test
  void theSampleShareMustBeAShareOfTheReads() {
    assertThrows(IllegalArgumentException.class, () -> new LearnerBudget(0.05, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> new LearnerBudget(0.05, 1.01, 0));
  }

  @Test
  void aBurstOpensOnlyOnceItsRecordedReadsAreAtMostTheSampleShareOfTheReadsSinceTheLastOpened() {
    LearnerBudget budget = new LearnerBudget(0.05, 0.02, 0);
    // The first burst (open from the start) recorded 1,024 reads: the next one needs 51,200
    // reads since the start.
    assertFalse(budget.passedIdle(0, 0, 51_199, 1_024));
    assertFalse(budget.passedIdle(0, 0, 51_199, 1_024), "no reads, no burst, however many passes");
    assertTrue(budget.passedIdle(0, 0, 51_200, 1_024));
    // The second opened at 51,200 reads and recorded 2,048 (two readers): 102,400 more.
    assertFalse(budget.passedIdle(0, 0, 153_599, 3_072));
    assertTrue(budget.passedIdle(0, 0, 153_600, 3_072));
    // A burst that recorded nothing (no reader came) needs no reads before the next.
    assertTrue(budget.passedIdle(0, 0, 153_600, 3_072));
  }
}
