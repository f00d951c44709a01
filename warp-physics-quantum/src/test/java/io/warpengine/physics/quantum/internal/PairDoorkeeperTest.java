package io.warpengine.physics.quantum.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PairDoorkeeperTest {

  @Test
  void aPairPassesAtItsSecondCoReadInEitherOrderUntilTheDoorClears() {
    PairDoorkeeper door = new PairDoorkeeper();
    assertFalse(door.seenBefore("a", "b"));
    assertTrue(door.seenBefore("b", "a"));
    assertTrue(door.seenBefore("a", "b"));
    assertEquals(1, door.held());
    door.clear();
    assertFalse(door.seenBefore("a", "b"), "a new period");
  }

  @Test
  void theDoorClearsItselfOnceAnEighthOfItsBitsAreSet() {
    PairDoorkeeper door = new PairDoorkeeper();
    int offered = 0;
    while (door.resets() == 0) {
      door.seenBefore("a" + offered, "b" + offered);
      offered++;
    }
    // 2^22 / 8 bits were set, at most two by each first sighting.
    long held = door.held();
    assertTrue(held >= (1 << 22) / 16, "held " + held);
    assertTrue(held <= offered && offered < (1 << 22) / 8, "held " + held + " of " + offered);
    String lastA = "a" + (offered - 1);
    String lastB = "b" + (offered - 1);
    assertFalse(door.seenBefore(lastA, lastB), "the pair that filled it is forgotten with the rest");
  }

  @Test
  void fewerThanOneChancePairInAHundredPassesOverAPeriod() {
    PairDoorkeeper door = new PairDoorkeeper();
    int offered = 0;
    int passed = 0;
    // Distinct pairs, never offered twice: every one that passes is a false positive.
    while (door.resets() == 0) {
      if (door.seenBefore("left-" + offered, "right-" + offered)) {
        passed++;
      }
      offered++;
    }
    // Two bits per pair pass a chance pair with probability about f^2 at fill f, 1/64 when the
    // door clears at an eighth: 2,525 of 287,130 (1 in 114) over this period. One bit per pair,
    // cleared at a sixteenth, let 13,520 of 275,664 through (1 in 20) and failed this test.
    assertTrue(offered > 200_000, "offered " + offered);
    assertTrue(passed * 100L < offered, passed + " of " + offered + " passed");
    assertTrue(passed > 0, "a Bloom filter this full lets some chance pairs through");
  }
}
