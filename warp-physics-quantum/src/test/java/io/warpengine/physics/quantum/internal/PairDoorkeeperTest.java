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
  void theDoorClearsItselfOnceASixteenthOfItsBitsAreSet() {
    PairDoorkeeper door = new PairDoorkeeper();
    int i = 0;
    String lastA = null;
    String lastB = null;
    while (door.resets() == 0) {
      lastA = "a" + i;
      lastB = "b" + i;
      door.seenBefore(lastA, lastB);
      i++;
    }
    // 2^22 / 16 bits were set, each by a first sighting; colliding pairs set none.
    assertTrue(door.held() >= (1 << 22) / 16, "held " + door.held());
    assertTrue(i < (1 << 22) / 8, "pairs offered " + i);
    assertFalse(door.seenBefore(lastA, lastB), "the pair that filled it is forgotten with the rest");
  }
}
