package io.warpengine.physics.gravity.internal;

import io.warpengine.Warp;
import io.warpengine.WarpOptions;
import io.warpengine.api.WarpEngine;
import io.warpengine.physics.gravity.Gravity;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What the gravity tests share: engines with gravity alone, and centres with a given home. */
final class GravityTesting {

  private GravityTesting() {}

  /** Gravity alone, no background rebalancing; {@code dir} null for an in-memory engine. */
  static WarpEngine open(Path dir, int shards, String... properties) {
    WarpOptions.Builder b = WarpOptions.builder().shards(shards)
        .property("gravity.autoRebalance", "false").property("gravity.interval", "PT1H");
    if (dir != null) {
      b.dataDirectory(dir);
    }
    for (int i = 0; i < properties.length; i += 2) {
      b.property(properties[i], properties[i + 1]);
    }
    return Warp.open(b.build());
  }

  static Gravity gravity(WarpEngine engine) {
    return engine.plugin(Gravity.class).orElseThrow();
  }

  /** The first {@code n} centres "c0", "c1", … whose home is {@code shard}. */
  static List<String> centresHomedOn(Gravity g, int shard, int n) {
    List<String> out = new ArrayList<>();
    for (int i = 0; out.size() < n; i++) {
      if (g.shardOfCentre("c" + i) == shard && !g.wormholes().containsKey("c" + i)) {
        out.add("c" + i);
      }
    }
    return out;
  }

  /** Entries per shard, from the engine's counters. */
  static long[] entries(WarpEngine engine) {
    return engine.metrics().shardMetrics().stream().mapToLong(s -> s.entries()).toArray();
  }
}
