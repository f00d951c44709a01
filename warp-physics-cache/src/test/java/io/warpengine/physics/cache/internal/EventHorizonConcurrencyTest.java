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
 * come back), and the engine's counters stay exact.
 */
class EventHorizonConcurrencyTest {

  @ParameterizedTest(name = "maxEntries={0} seed={1}")
  @CsvSource({"2, 31", "4, 32", "8, 33"})
  void evictionNeverYieldsAStaleOrDeletedValue(int maxEntries, long seed) throws Exception {
    MixedWorkload workload = new MixedWorkload(8, 30_000, 24, seed);
    WarpOptions options = WarpOptions.builder().shards(4)
        .property("cache.maxEntries", Integer.toString(maxEntries))
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
      assertEquals(m.entries(), horizon.residentWeight(), "entries tracked by the policy");
      assertEquals(m.evictions(), m.pluginMetrics().get("cache").get("evictions").longValue(),
          "evictions counted by the policy");
      assertTrue(m.entries() <= maxEntries, () -> m.entries() + " entries after the last drain");
    }
  }
}
