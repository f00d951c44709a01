package io.warpengine.physics.cache.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.function.IntFunction;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The window's share follows the workload: synthetic read-through workloads (fixed seeds) that
 * favour recency drive it to a large share, a loop larger than the cache drives it to the
 * smallest, and a change from one to the other is followed. Each runs with a cache the
 * miniatures simulate whole and one they sample (a quarter of the keys), under several salts
 * of the sampling hash: the choice must not hang on which keys the sample happens to hold.
 */
class MiniatureSimulationTest {

  private static final double SMALLEST = MiniatureSimulation.WINDOW_SHARES[0];

  @ParameterizedTest(name = "capacity={0} salt={1}")
  @CsvSource({"500, 1", "500, 2", "4000, 1", "4000, 2", "4000, 3", "4000, 1515870810"})
  void recencyGrowsTheWindowAndALoopShrinksIt(int capacity, int salt) {
    AdaptiveTinyLfu policy = new AdaptiveTinyLfu(capacity, capacity, false,
        (key, weight) -> true, salt);
    double smallest = new AdaptiveTinyLfu(capacity, SMALLEST).windowShare(); // rounded down
    assertEquals(smallest, policy.windowShare(), "the initial share");

    double recencyHits = replay(policy, recency(capacity, 0), 40 * capacity);
    assertTrue(policy.windowShare() >= 0.6,
        () -> "recency left the window at " + policy.windowShare());

    // Out of a large window a loop climbs down through the shares, and the last step, between
    // two that differ by 3 points of hit rate at most, takes longest to become significant.
    replay(policy, loop(capacity), 60 * capacity);
    assertTrue(policy.windowShare() <= MiniatureSimulation.WINDOW_SHARES[1],
        () -> "a loop left the window at " + policy.windowShare());

    // The share is worth having: the smallest window, fixed, does markedly worse on recency.
    AdaptiveTinyLfu fixed = new AdaptiveTinyLfu(capacity, SMALLEST);
    double fixedHits = replay(fixed, recency(capacity, 0), 40 * capacity);
    assertTrue(recencyHits > fixedHits + 0.02,
        () -> "adaptive " + recencyHits + " against a fixed small window's " + fixedHits);
  }

  @ParameterizedTest(name = "capacity={0} salt={1}")
  @CsvSource({"500, 1", "4000, 1", "4000, 2"})
  void aLoopKeepsTheWindowSmallFromTheStart(int capacity, int salt) {
    AdaptiveTinyLfu policy = new AdaptiveTinyLfu(capacity, capacity, false,
        (key, weight) -> true, salt);
    double smallest = policy.windowShare();
    IntFunction<String> loop = loop(capacity);
    for (int t = 0; t < 30 * capacity; t++) {
      read(policy, loop.apply(t));
      assertEquals(smallest, policy.windowShare(), "moved during a loop");
    }
  }

  /** A hot set that drifts: each read picks a key among the newest, biased to the newest. */
  private static IntFunction<String> recency(int capacity, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    return t -> {
      int newest = t / 8;
      double age = capacity * 0.8 * Math.pow(random.nextDouble(), 2);
      return "r" + Math.max(0, newest - (int) age);
    };
  }

  /** Keys read in turn, half as many again as the cache holds: LRU never hits it. */
  private static IntFunction<String> loop(int capacity) {
    return t -> "l" + t % (capacity * 3 / 2);
  }

  /** Reads through: a miss is followed by the write of the key. Returns the hit rate. */
  private static double replay(AdaptiveTinyLfu policy,
                               IntFunction<String> keys, int reads) {
    long hits = 0;
    for (int t = 0; t < reads; t++) {
      if (read(policy, keys.apply(t))) {
        hits++;
      }
    }
    return (double) hits / reads;
  }

  private static boolean read(AdaptiveTinyLfu policy, String key) {
    boolean hit = policy.recordRead(key);
    if (!hit) {
      policy.recordWrite(key, 1, false);
    }
    return hit;
  }
}
