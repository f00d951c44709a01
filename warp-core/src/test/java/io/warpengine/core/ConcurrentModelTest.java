package io.warpengine.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.warpengine.Warp;
import io.warpengine.WarpOptions;
import io.warpengine.api.MetricsSnapshot;
import io.warpengine.api.WarpEngine;
import io.warpengine.testkit.MixedWorkload;
import io.warpengine.testkit.RegisterModel;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * 8 threads run every engine operation at once on 24 shared keys ({@link MixedWorkload});
 * afterwards each key's history must be linearizable against a plain register, and every
 * counter must equal what the recorded results imply — a lost write, a stale read, a torn
 * value or a lost counter update fails the test.
 */
class ConcurrentModelTest {

  @ParameterizedTest(name = "shards={0} seed={1}")
  @CsvSource({"1, 11", "1, 21", "8, 12", "8, 22", "64, 13", "64, 23"})
  void historiesAreLinearizableAndCountersExact(int shards, long seed) throws Exception {
    MixedWorkload workload = new MixedWorkload(8, 40_000, 24, seed);
    try (WarpEngine engine = Warp.open(WarpOptions.builder().shards(shards).build())) {
      MixedWorkload.History history = workload.run(engine, () -> { });
      MetricsSnapshot m = engine.metrics();
      assertEquals(List.of(), history.violations(RegisterModel.MODEL), "non-linearizable keys");
      assertEquals(history.expectedCounts(), MixedWorkload.Counts.of(m));
      assertEquals(history.finalEntries(), m.entries(), "entries");
      assertEquals(history.finalBytes(), m.bytes(), "bytes");
    }
  }
}
