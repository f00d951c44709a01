package io.warpengine.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warpengine.Warp;
import io.warpengine.api.WarpEngine;
import io.warpengine.WarpOptions;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code Warp.open} finds this module's engine with ServiceLoader, on the module path. */
class DiscoveryTest {

  @Test
  void warpOpenFindsTheCoreEngineOnTheModulePath() {
    try (WarpEngine engine = Warp.open()) {
      assertEquals(ShardedEngine.class, engine.getClass());
      assertTrue(engine.getClass().getModule().isNamed());
      assertEquals("io.warpengine.core", engine.getClass().getModule().getName());
      assertEquals(WarpOptions.defaultShardCount(), engine.metrics().shardMetrics().size());
      assertTrue(engine.pluginNames().isEmpty());
    }
  }

  @Test
  void withoutAJournalModuleAnEngineWithADataDirectoryStaysInMemory() {
    try (WarpEngine engine = Warp.open(
        WarpOptions.builder().dataDirectory(Path.of("target", "unused-data")).build())) {
      assertFalse(engine.isDurable());
      engine.put("k", new byte[1]);
      assertTrue(engine.contains("k"));
    }
  }
}
