package io.warpengine.physics.gravity.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import org.junit.jupiter.api.Test;

class MassTrackerTest {

  @Test
  void aNewcomerIsAdmittedOnlyIfItOutweighsTheTrulyLightestListedCentre() {
    MassTracker mass = new MassTracker(1, 1 << 14, 2);
    mass.record("A", 0, 1);
    mass.record("B", 0, 5);
    mass.record("E", 0, 0.5); // refused: the tracker now knows the lightest listed mass, A's 1
    mass.record("A", 0, 10);  // A grows to 11 in place: B, at 5, is the lightest now
    mass.record("D", 0, 2);
    assertEquals(Set.of("A", "B"), mass.heavyHitters().keySet(), "D, at 2, must not evict B, at 5");
    mass.record("D", 0, 4);
    assertEquals(Set.of("A", "D"), mass.heavyHitters().keySet(), "D, at 6, outweighs B");
  }
}
