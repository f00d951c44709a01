package io.warpengine.physics.cache.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warpengine.Warp;
import io.warpengine.WarpOptions;
import io.warpengine.api.MetricsSnapshot;
import io.warpengine.api.WarpEngine;
import io.warpengine.physics.cache.EventHorizon;
import io.warpengine.testkit.MixedWorkload;
import io.warpengine.testkit.RegisterModel;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Overwrites, deletes and evictions racing from 8 threads: with a budget far smaller than the
 * key set, the policy evicts all the time, and still no read may return a stale, deleted or torn
 * value (each key's history is checked against a register whose value may vanish but never
 * come back), and the engine's counters stay exact. In entry mode and in byte mode, where the
 * values' 8 to 30 bytes are the weights the policy must account for exactly.
 */
class EventHorizonConcurrencyTest {

  @ParameterizedTest(name = "{0}={1} seed={2}")
  @CsvSource({"maxEntries, 2, 31", "maxEntries, 4, 32", "maxEntries, 8, 33",
      "budgetBytes, 40, 34", "budgetBytes, 150, 35"})
  void evictionNeverYieldsAStaleOrDeletedValue(String setting, int budget, long seed)
      throws Exception {
    MixedWorkload workload = new MixedWorkload(8, 30_000, 24, seed);
    WarpOptions options = WarpOptions.builder().shards(4)
        .property("cache." + setting, Integer.toString(budget))
        .build();
    try (WarpEngine engine = Warp.open(options)) {
      EventHorizon horizon = engine.plugin(EventHorizon.class).orElseThrow();
      // Every caller drains after each of its calls (as Caffeine's tests use a same-thread
      // executor): each write over budget is evicted at once by its writer, racing the others.
      MixedWorkload.History history = workload.run(engine, horizon::cleanUp, horizon::cleanUp);
      MetricsSnapshot m = engine.metrics();
      assertEquals(List.of(), history.violations(RegisterModel.EVICTABLE), "non-linearizable keys");
      MixedWorkload.Counts expected = history.expectedCounts();
      assertEquals(expected, MixedWorkload.Counts.of(m));
      assertEquals(history.finalEntries(), m.entries(), "entries");
      assertEquals(history.finalBytes(), m.bytes(), "bytes");
      // Proof that eviction raced the workload throughout (these budgets give tens of thousands).
      assertTrue(m.evictions() >= 5_000, () -> "the policy barely evicted: " + m.evictions());
      // The policy tracks exactly what the engine holds (no phantoms), and agrees on evictions.
      long resident = horizon.countsEntries() ? m.entries() : m.bytes();
      assertEquals(resident, horizon.residentWeight(), "weight tracked by the policy");
      assertEquals(m.evictions(), m.pluginMetrics().get("cache").get("evictions").longValue(),
          "evictions counted by the policy");
      assertTrue(resident <= budget, () -> resident + " " + setting + " after the last drain");
    }
  }
}
