package io.warpengine.physics.cache.internal;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.warpengine.Warp;
import io.warpengine.WarpOptions;
import io.warpengine.api.MetricsSnapshot;
import io.warpengine.api.Priority;
import io.warpengine.api.PutOptions;
import io.warpengine.api.WarpEngine;
import io.warpengine.physics.cache.EventHorizon;
import io.warpengine.spi.NamedPluginProvider;
import io.warpengine.testkit.ManualScheduler;
import org.junit.jupiter.api.Test;

/** The event horizon found by ServiceLoader, bounding a core engine without a journal. */
class EventHorizonPluginTest {

  private static WarpEngine open(String... properties) {
    WarpOptions.Builder b = WarpOptions.builder().shards(4);
    for (int i = 0; i < properties.length; i += 2) {
      b.property(properties[i], properties[i + 1]);
    }
    return Warp.open(b.build());
  }

  @Test
  void isDiscoveredOnTheModulePath() {
    try (WarpEngine engine = open("cache.maxEntries", "10")) {
      assertEquals(java.util.List.of("cache"), engine.pluginNames());
      EventHorizon horizon = engine.plugin(EventHorizon.class).orElseThrow();
      assertTrue(horizon.countsEntries());
      assertEquals(10, horizon.budget());
    }
  }

  @Test
  void entryBudgetBoundsTheEngineAndEvictionsAreCounted() {
    try (WarpEngine engine = open("cache.maxEntries", "100")) {
      EventHorizon horizon = engine.plugin(EventHorizon.class).orElseThrow();
      for (int i = 0; i < 1_000; i++) {
        engine.put("k" + i, new byte[] {(byte) i});
      }
      horizon.cleanUp();
      MetricsSnapshot m = engine.metrics();
      assertEquals(100, engine.size());
      assertEquals(900, m.evictions());
      assertEquals(0, m.deletes());
      assertEquals(100, horizon.residentWeight());
      assertEquals(900L, m.pluginMetrics().get("cache").get("evictions"));
      assertEquals(0, m.pluginMetrics().get("cache").get("durable"), "eviction mode");
      assertEquals(0L, m.pluginMetrics().get("cache").get("diskLoads"));
    }
  }

  @Test
  void byteBudgetBoundsResidentValueBytes() {
    try (WarpEngine engine = open("cache.budgetBytes", "10000")) {
      EventHorizon horizon = engine.plugin(EventHorizon.class).orElseThrow();
      for (int i = 0; i < 500; i++) {
        engine.put("k" + i, new byte[100]);
      }
      horizon.cleanUp();
      assertTrue(engine.metrics().bytes() <= 10_000, () -> "bytes " + engine.metrics().bytes());
      assertEquals(engine.metrics().bytes(), horizon.residentWeight());
    }
  }

  @Test
  void aScanOfColdKeysDoesNotFlushTheHotSet() {
    try (WarpEngine engine = open("cache.maxEntries", "200")) {
      EventHorizon horizon = engine.plugin(EventHorizon.class).orElseThrow();
      for (int round = 0; round < 20; round++) {
        for (int i = 0; i < 100; i++) {
          String key = "hot" + i;
          if (engine.get(key) == null) {
            engine.put(key, new byte[1]);
          }
          horizon.cleanUp();
        }
      }
      for (int i = 0; i < 5_000; i++) {          // one pass over cold keys: read, miss, load
        String key = "cold" + i;
        if (engine.get(key) == null) {
          engine.put(key, new byte[1]);
        }
        horizon.cleanUp();
      }
      int hotLeft = 0;
      for (int i = 0; i < 100; i++) {
        hotLeft += engine.contains("hot" + i) ? 1 : 0;
      }
      assertTrue(hotLeft >= 95, "hot keys still inside after the scan: " + hotLeft);
    }
  }

  @Test
  void criticalWritesStayInsideWhileOthersCanGo() {
    try (WarpEngine engine = open("cache.maxEntries", "50")) {
      EventHorizon horizon = engine.plugin(EventHorizon.class).orElseThrow();
      for (int i = 0; i < 20; i++) {
        engine.put("critical" + i, new byte[1], PutOptions.of(Priority.CRITICAL));
      }
      for (int i = 0; i < 2_000; i++) {
        engine.put("bulk" + i, new byte[1], PutOptions.of(Priority.BACKGROUND));
        horizon.cleanUp();
      }
      for (int i = 0; i < 20; i++) {
        assertTrue(engine.contains("critical" + i), "critical" + i);
      }
      assertEquals(50, engine.size());
    }
  }

  /**
   * Reads beyond what the read buffer holds between two drains are skipped, not queued; each
   * drain opens it again, so the policy keeps learning from the reads that follow.
   */
  @Test
  void aFullReadBufferSkipsReadsUntilTheNextDrain() {
    try (WarpEngine engine = open("cache.maxEntries", "100", "cache.drainInterval", "PT1H")) {
      EventHorizon horizon = engine.plugin(EventHorizon.class).orElseThrow();
      engine.put("k", new byte[1]);
      horizon.cleanUp();
      for (int i = 0; i < 10_000; i++) {
        engine.get("k");
      }
      horizon.cleanUp();
      long recorded = recordedReads(engine);
      assertTrue(recorded > 0 && recorded < 10_000, "reads recorded: " + recorded);
      engine.get("k");
      horizon.cleanUp();
      assertEquals(recorded + 1, recordedReads(engine), "the read after a drain is recorded");
    }
  }

  private static long recordedReads(WarpEngine engine) {
    return engine.metrics().pluginMetrics().get("cache").get("recordedReads").longValue();
  }

  @Test
  void deletedKeysLeaveThePolicy() {
    try (WarpEngine engine = open("cache.maxEntries", "10")) {
      EventHorizon horizon = engine.plugin(EventHorizon.class).orElseThrow();
      for (int i = 0; i < 10; i++) {
        engine.put("k" + i, new byte[1]);
      }
      for (int i = 0; i < 10; i++) {
        engine.delete("k" + i);
      }
      horizon.cleanUp();
      assertEquals(0, horizon.residentWeight());
      assertEquals(0, engine.metrics().evictions());
    }
  }

  @Test
  void discoveryCanBeTurnedOff() {
    try (WarpEngine engine = Warp.open(WarpOptions.builder().discoverPlugins(false)
        .property("cache.maxEntries", "10").build())) {
      assertEquals(java.util.List.of(), engine.pluginNames());
      assertTrue(engine.plugin(EventHorizon.class).isEmpty());
    }
  }

  @Test
  void badSettingsFailOpenByNameAndValue() {
    for (String[] bad : new String[][] {
        {"cache.maxEntries", "-1", "cache.maxEntries must not be negative (0 leaves it unset), was -1"},
        {"cache.budgetBytes", "-5", "cache.budgetBytes must not be negative (0 leaves it unset), was -5"},
        {"cache.drainInterval", "PT0.0005S", "cache.drainInterval must be at least 1 ms, was PT0.0005S"}}) {
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> open(bad[0], bad[1]));
      assertTrue(e.getMessage().contains(bad[2]), e.getMessage());
    }
  }

  @Test
  void aFailedDrainIsLoggedAndTheNextOneRunsUntilClose() {
    ManualScheduler scheduler = new ManualScheduler();
    EventHorizonPlugin[] plugin = new EventHorizonPlugin[1];
    try (WarpEngine engine = Warp.open(WarpOptions.builder().shards(4).discoverPlugins(false)
        .property("cache.maxEntries", "10")
        .addPlugin(new NamedPluginProvider("cache",
            ctx -> plugin[0] = new EventHorizonPlugin(scheduler.contextFor(ctx))) {})
        .build())) {
      plugin[0].onPut("", 0, 1, PutOptions.DEFAULT); // the engine's view refuses it: the drain throws
      for (int i = 0; i < 20; i++) {
        engine.put("k" + i, new byte[1]);
      }
      assertDoesNotThrow(scheduler::runPeriodic, "the drain fails on the empty key");
      scheduler.runPeriodic();
      assertEquals(10, engine.size(), "the drain after the failed one applied the budget");
      engine.close();
      assertTrue(scheduler.periodicAllCancelled(), "close stops the drains");
    }
    scheduler.shutdownNow();
  }

  @Test
  void conflictingSettingsFailOpenByName() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> open("cache.maxEntries", "10", "cache.budgetBytes", "100"));
    assertTrue(e.getMessage().contains("'cache'"), e.getMessage());
    assertTrue(e.getMessage().contains("not both"), e.getMessage());
  }
}
