package io.warpengine.bench.gravity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warpengine.Warp;
import io.warpengine.WarpOptions;
import io.warpengine.api.WarpEngine;
import io.warpengine.physics.entropy.EntropyMonitor;
import io.warpengine.physics.entropy.EntropySample;
import io.warpengine.physics.gravity.Gravity;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Maxwell's demon with gravity present (issue 7 waits on it): every hot centre starts on one
 * shard, so load entropy is near 0; the demon, seeing it below its threshold, asks gravity's
 * {@code Rebalancer}, which moves hot centres away, and load entropy in the following windows
 * is restored above the threshold. Samples are taken by hand (no timers), so the run is the
 * same every time.
 */
class DemonWithGravityTest {

  @Test
  void theDemonRestoresEntropyThroughGravity() {
    WarpOptions options = WarpOptions.builder().shards(4).disablePlugin("cache")
        .disablePlugin("quantum").property("entropy.interval", "PT1H")
        .property("gravity.interval", "PT1H").property("gravity.autoRebalance", "false").build();
    try (WarpEngine engine = Warp.open(options)) {
      Gravity gravity = engine.plugin(Gravity.class).orElseThrow();
      EntropyMonitor monitor = engine.plugin(EntropyMonitor.class).orElseThrow();
      List<String> hot = new ArrayList<>();
      for (int i = 0; hot.size() < 8; i++) {
        if (gravity.shardOfCentre("hot" + i) == 0) {
          hot.add("hot" + i);
        }
      }
      for (String c : hot) {
        engine.put("{" + c + "}:v", new byte[16]);
      }
      double first = monitor.sampleNow().load(); // the puts: all on shard 0 as well
      List<Double> load = new ArrayList<>();
      for (int window = 0; window < 5; window++) {
        for (int round = 0; round < 30; round++) {
          for (String c : hot) {
            engine.get("{" + c + "}:v");
          }
          gravity.shardMass(); // drains gravity's samples before a lossy stripe fills
        }
        EntropySample s = monitor.sampleNow();
        load.add(s.load());
      }
      EntropyMonitor.DemonReport demon = monitor.demon();
      assertTrue(first < 0.1 && load.get(0) < 0.1, "all load on one shard: " + first + ", " + load);
      assertEquals(1, demon.rebalances(), "the demon acted once (then cooled down): " + demon);
      assertTrue(demon.lastMoved() >= 3, "gravity moved " + demon.lastMoved() + " centres");
      for (int window = 1; window < load.size(); window++) {
        assertTrue(load.get(window) > 0.85, "entropy restored: " + load);
      }
      assertTrue(demon.lastAfter() > 0.85, demon.toString());
    }
  }
}
