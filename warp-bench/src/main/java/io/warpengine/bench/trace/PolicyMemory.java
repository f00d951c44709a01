package io.warpengine.bench.trace;

import io.warpengine.Warp;
import io.warpengine.WarpOptions;
import io.warpengine.api.WarpEngine;
import io.warpengine.physics.cache.EventHorizon;
import java.lang.management.ManagementFactory;

/**
 * Measures what the event horizon's policy costs per resident entry: the heap an engine holding
 * N empty values occupies with the {@code cache} plugin (budget N, so nothing is evicted) minus
 * the heap it occupies without, each after full collections, divided by N. Keys are created
 * before the first reading, so neither figure includes them.
 */
public final class PolicyMemory {

  private PolicyMemory() {}

  /** Bytes of heap per entry: {@code [without plugin, with plugin]}. */
  public static double[] measure(int entries) {
    String[] keys = new String[entries];
    for (int i = 0; i < entries; i++) {
      keys[i] = "key:" + i;
    }
    return new double[] {perEntry(keys, false), perEntry(keys, true)};
  }

  private static double perEntry(String[] keys, boolean withPolicy) {
    long before = heapAfterGc();
    WarpOptions.Builder options = WarpOptions.builder().shards(16).disablePlugin("gravity");
    if (withPolicy) {
      options.property("cache.maxEntries", Integer.toString(keys.length));
    } else {
      options.disablePlugin("cache");
    }
    try (WarpEngine engine = Warp.open(options.build())) {
      byte[] empty = new byte[0];
      for (String key : keys) {
        engine.put(key, empty);
      }
      engine.plugin(EventHorizon.class).ifPresent(EventHorizon::cleanUp);
      return (heapAfterGc() - before) / (double) keys.length;
    }
  }

  private static long heapAfterGc() {
    for (int i = 0; i < 5; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
