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
  @CsvSource({"4, 31", "8, 32", "16, 33"})
  void evictionNeverYieldsAStaleOrDeletedValue(int maxEntries, long seed) throws Exception {
    MixedWorkload workload = new MixedWorkload(8, 30_000, 24, seed);
    WarpOptions options = WarpOptions.builder().shards(4)
        .property("cache.maxEntries", Integer.toString(maxEntries))
        .property("cache.drainInterval", "1").build();
    try (WarpEngine engine = Warp.open(options)) {
      EventHorizon horizon = engine.plugin(EventHorizon.class).orElseThrow();
      MixedWorkload.History history = workload.run(engine, horizon::cleanUp);
      MetricsSnapshot m = engine.metrics();
      assertEquals(List.of(), history.violations(RegisterModel.EVICTABLE), "non-linearizable keys");
      MixedWorkload.Counts expected = history.expectedCounts();
      assertEquals(expected, MixedWorkload.Counts.of(m));
      assertEquals(history.finalEntries(), m.entries(), "entries");
      assertEquals(history.finalBytes(), m.bytes(), "bytes");
      assertTrue(m.evictions() > 1_000, () -> "the policy barely evicted: " + m.evictions());
      assertTrue(m.entries() <= maxEntries, () -> m.entries() + " entries after the last drain");
    }
  }
}
