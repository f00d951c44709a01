package io.warpengine.physics.cache.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The policy against a model of what it must account for: random writes (some pinned, some
 * re-weighing a tracked key), removals and reads (fixed seeds) on a key space several times the
 * budget. After every event the policy's weight and size equal the model's sums, the budget
 * holds, and a pinned entry was evicted only when nothing unpinned was left.
 */
class AdaptiveTinyLfuTest {

  private record Tracked(long weight, boolean pinned) {}

  @ParameterizedTest(name = "weighted={0} maximum={1} seed={2}")
  @CsvSource({"false, 50, 11", "false, 3, 12", "true, 2000, 13", "true, 100, 14"})
  void accountsForEveryEntryItHolds(boolean weighted, long maximum, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    Map<String, Tracked> model = new HashMap<>();
    AdaptiveTinyLfu policy = new AdaptiveTinyLfu(maximum, weighted ? maximum / 50 : maximum,
        weighted, (key, weight) -> {
          Tracked t = model.remove(key);
          assertEquals(t.weight(), weight, key);
          assertTrue(!t.pinned() || model.values().stream().allMatch(Tracked::pinned),
              () -> "pinned " + key + " evicted while unpinned entries were left");
          return true;
        });
    long evictionsSeen = 0;
    for (int step = 0; step < 50_000; step++) {
      String key = "k" + random.nextInt((int) (weighted ? maximum / 10 : maximum * 4));
      int op = random.nextInt(10);
      if (op < 5) {
        policy.recordRead(key);
      } else if (op < 9) {
        long weight = weighted ? random.nextInt(120) : 1;
        boolean pin = random.nextInt(50) == 0;
        model.put(key, new Tracked(weight, pin));
        policy.recordWrite(key, weight, pin);
      } else {
        model.remove(key);
        policy.recordRemoval(key);
      }
      assertEquals(model.values().stream().mapToLong(Tracked::weight).sum(), policy.weight(),
          "weight at step " + step);
      assertEquals(model.size(), policy.size(), "size at step " + step);
      assertTrue(policy.weight() <= maximum, "over budget at step " + step);
      assertTrue(policy.evictions() >= evictionsSeen);
      evictionsSeen = policy.evictions();
    }
    assertTrue(evictionsSeen > 1_000, () -> "the policy barely evicted: " + policy.evictions());
    assertTrue(policy.admissionRejections() > 0, "no admission contest was lost");
  }

  /**
   * Deleting and writing again the keys of a window that never overflows queues them again and
   * again: the queue must keep one copy of each, not every copy.
   */
  @ParameterizedTest(name = "keys={0}")
  @CsvSource({"1", "10", "1000"})
  void deletesAndRewritesDoNotGrowTheWindowQueue(int keys) {
    AdaptiveTinyLfu policy = new AdaptiveTinyLfu(1_000_000, 1_000, false, (key, weight) -> true);
    for (int round = 0; round < 200; round++) {
      for (int k = 0; k < keys; k++) {
        policy.recordRemoval("k" + k);
        policy.recordWrite("k" + k, 1, false);
      }
      assertTrue(policy.windowQueueLength() <= 2 * keys + 17,
          "window queue of " + policy.windowQueueLength() + " for " + keys + " keys");
    }
    assertEquals(keys, policy.size());
    assertEquals(0, policy.evictions());
  }
}
