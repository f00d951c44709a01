package io.warpengine.example.halflife.internal;

import io.warpengine.Warp;
import io.warpengine.WarpOptions;
import io.warpengine.api.SyncPolicy;
import io.warpengine.api.WarpEngine;
import java.nio.file.Path;

/**
 * The child JVM of {@link HalfLifeDurabilityTest}: on a durable engine in {@code ALWAYS} mode
 * with the half-life plugin on the real clocks (TTL 1 min, sweep every 20 ms, so the lease is
 * renewed every 40 ms), puts {@code c<cycle>:<i>} for i = 0, 1, … and prints "i wallMillis" once
 * each put returned, the wall time read before the put was called, then sleeps 2 ms; until it
 * is killed.
 */
public final class HalfLifeCrashChild {

  private HalfLifeCrashChild() {}

  public static void main(String[] args) throws InterruptedException {
    WarpOptions options = WarpOptions.builder().dataDirectory(Path.of(args[0]))
        .syncPolicy(SyncPolicy.ALWAYS).discoverPlugins(false)
        .property("half-life.ttl", "PT1M").property("half-life.interval", "PT0.02S")
        .addPlugin(new HalfLifeProvider()).build();
    try (WarpEngine engine = Warp.open(options)) {
      for (int i = 0; ; i++) {
        long called = System.currentTimeMillis();
        engine.put("c" + args[1] + ":" + i, new byte[] {1});
        System.out.println(i + " " + called);
        System.out.flush();
        Thread.sleep(2); // so that a run spans many lease renewals (one every 40 ms)
      }
    }
  }
}
