package io.warpengine.physics.gravity.internal;

import io.warpengine.Warp;
import io.warpengine.WarpOptions;
import io.warpengine.api.SyncPolicy;
import io.warpengine.api.WarpEngine;
import io.warpengine.physics.gravity.Gravity;
import java.nio.file.Path;

/**
 * The child JVM of {@link GravityDurabilityTest}: on a durable engine in {@code ALWAYS} mode,
 * for i = first, first + 1, … writes three keys of centre {@code m<i>}, moves the centre to
 * {@link GravityDurabilityTest#target} and prints i once the move returned, until it is killed.
 */
public final class GravityCrashChild {

  private GravityCrashChild() {}

  public static void main(String[] args) {
    WarpOptions options = WarpOptions.builder().dataDirectory(Path.of(args[0]))
        .shards(GravityDurabilityTest.SHARDS).syncPolicy(SyncPolicy.ALWAYS)
        .property("gravity.autoRebalance", "false").build();
    try (WarpEngine engine = Warp.open(options)) {
      Gravity g = engine.plugin(Gravity.class).orElseThrow();
      for (int i = Integer.parseInt(args[1]); ; i++) {
        for (int k = 0; k < 3; k++) {
          engine.put(GravityDurabilityTest.key(i, k), GravityDurabilityTest.value(i));
        }
        g.moveCentre("m" + i, GravityDurabilityTest.target(g.shardOfCentre("m" + i), i));
        System.out.println(i);
        System.out.flush();
      }
    }
  }
}
