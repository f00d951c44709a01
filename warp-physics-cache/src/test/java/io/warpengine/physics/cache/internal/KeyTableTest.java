package io.warpengine.physics.cache.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The table against a {@link HashMap} model: random inserts, updates and removals (fixed seeds)
 * on a key space a few times the starting capacity, so that probe runs wrap around the end,
 * removals shift entries back across it, and the table grows while full of live entries.
 */
class KeyTableTest {

  private record Entry(byte state, long weight) {}

  @ParameterizedTest(name = "weighted={0} seed={1}")
  @CsvSource({"false, 1", "false, 2", "true, 3", "true, 4"})
  void agreesWithAMapModel(boolean weighted, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    KeyTable table = new KeyTable(8, weighted);
    Map<String, Entry> model = new HashMap<>();
    List<String> keySpace = java.util.stream.IntStream.range(0, 200)
        .mapToObj(i -> "k" + i).toList();
    for (int step = 0; step < 20_000; step++) {
      // New String instances, so that equal keys are found by equals, not only by identity.
      String key = new String(keySpace.get(random.nextInt(keySpace.size())));
      int slot = table.find(key);
      assertEquals(model.containsKey(key), slot >= 0, key);
      if (slot < 0) {
        Entry e = new Entry((byte) random.nextInt(64), weighted ? random.nextInt(1_000) : 1);
        table.insert(key, e.state(), e.weight());
        model.put(key, e);
      } else if (random.nextBoolean()) {
        table.remove(slot);
        model.remove(key);
      } else {
        Entry e = new Entry((byte) random.nextInt(64), weighted ? random.nextInt(1_000) : 1);
        table.state(slot, e.state());
        table.weight(slot, e.weight());
        model.put(key, e);
      }
      if (step % 97 == 0) {
        assertAgrees(table, model);
      }
    }
    assertAgrees(table, model);
  }

  private static void assertAgrees(KeyTable table, Map<String, Entry> model) {
    assertEquals(model.size(), table.size(), "size");
    Map<String, Entry> seen = new HashMap<>();
    for (int slot = 0; slot < table.capacity(); slot++) {
      String key = table.key(slot);
      if (key != null) {
        seen.put(key, new Entry(table.state(slot), table.weight(slot)));
        assertEquals(slot, table.find(key), () -> "find " + key);
      }
    }
    assertEquals(model, seen);
  }
}
