package io.warpengine.bench.gravity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warpengine.Warp;
import io.warpengine.WarpOptions;
import io.warpengine.api.MetricsSnapshot;
import io.warpengine.api.ShardMetrics;
import io.warpengine.api.SyncPolicy;
import io.warpengine.api.WarpEngine;
import io.warpengine.physics.cache.EventHorizon;
import io.warpengine.physics.gravity.Gravity;
import io.warpengine.testkit.MixedWorkload;
import io.warpengine.testkit.RegisterModel;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Gravity with the event horizon and the journal: centres move between shards while values go
 * beyond the horizon (log locations), are read back, and snapshots relocate them. Every key's
 * history must stay linearizable and the counters exact; after a restart every key holds its
 * last value and lies in the shard its centre routes to.
 */
class MovesBeyondTheHorizonTest {

  @TempDir
  Path dir;

  private WarpOptions options() {
    return WarpOptions.builder().dataDirectory(dir).shards(4).disablePlugin("quantum")
        .disablePlugin("entropy").syncPolicy(SyncPolicy.NONE)
        .property("wal.segmentBytes", "4096").property("wal.snapshotInterval", "PT0.005S")
        .property("cache.maxEntries", "3").property("gravity.autoRebalance", "false").build();
  }

  @ParameterizedTest(name = "seed={0}")
  @CsvSource({"51", "52"})
  void movesKeepEveryValueThroughReleasesLoadsSnapshotsAndARestart(long seed) throws Exception {
    MixedWorkload workload = new MixedWorkload(4, 6_000, 24, seed);
    MixedWorkload.History history;
    try (WarpEngine e = Warp.open(options())) {
      EventHorizon horizon = e.plugin(EventHorizon.class).orElseThrow();
      Gravity g = e.plugin(Gravity.class).orElseThrow();
      AtomicBoolean stop = new AtomicBoolean();
      AtomicLong moves = new AtomicLong();
      Thread mover = new Thread(() -> {
        SplittableRandom rnd = new SplittableRandom(seed);
        while (!stop.get()) {
          g.moveCentre("key-" + rnd.nextInt(24), rnd.nextInt(4));
          moves.incrementAndGet();
        }
      });
      mover.start();
      try {
        history = workload.run(e, horizon::cleanUp, horizon::cleanUp);
      } finally {
        stop.set(true);
        mover.join();
      }
      MetricsSnapshot m = e.metrics();
      assertEquals(List.of(), history.violations(RegisterModel.MODEL), "non-linearizable keys");
      assertEquals(history.expectedCounts(), MixedWorkload.Counts.of(m));
      assertEquals(history.finalEntries(), m.entries(), "entries");
      assertTrue(moves.get() > 100, "only " + moves.get() + " moves");
      assertTrue(m.diskLoads() > 100, "values barely left the heap: " + m.diskLoads());
      Map<String, Number> journal = m.pluginMetrics().get("journal");
      assertTrue(journal.get("snapshots").longValue() >= 1, journal::toString);
    }
    try (WarpEngine e = Warp.open(options())) {
      Gravity g = e.plugin(Gravity.class).orElseThrow();
      long[] expected = new long[4];
      history.finalIds().forEach((key, id) -> {
        assertEquals(id.longValue(), MixedWorkload.idOf(e.get(key)), key);
        if (id != RegisterModel.ABSENT) {
          expected[g.shardOfCentre(key)]++;
        }
      });
      assertEquals(List.of(expected[0], expected[1], expected[2], expected[3]),
          e.metrics().shardMetrics().stream().map(ShardMetrics::entries).toList(),
          "every recovered key in the shard its centre routes to");
    }
  }
}
