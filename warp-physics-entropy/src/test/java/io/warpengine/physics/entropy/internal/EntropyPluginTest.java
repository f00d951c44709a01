package io.warpengine.physics.entropy.internal;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warpengine.Warp;
import io.warpengine.WarpOptions;
import io.warpengine.api.WarpEngine;
import io.warpengine.physics.entropy.EntropyMonitor;
import io.warpengine.physics.entropy.EntropySample;
import io.warpengine.physics.entropy.EntropyState;
import io.warpengine.spi.NamedPluginProvider;
import io.warpengine.spi.PhysicsPlugin;
import io.warpengine.spi.PhysicsPluginProvider;
import io.warpengine.spi.PluginContext;
import io.warpengine.spi.Rebalancer;
import io.warpengine.testkit.ManualScheduler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The monitor on a live engine; samples are taken by hand so that nothing depends on timing. */
class EntropyPluginTest {

  private static final int SHARDS = 8;

  /** A rebalancer that records its calls; it moves nothing, or throws {@code failure} if set. */
  private static final class RecordingRebalancer implements PhysicsPlugin, Rebalancer, PhysicsPluginProvider {
    final List<String> reasons = new ArrayList<>();
    RuntimeException failure;

    @Override public RebalanceReport rebalance(String reason) {
      reasons.add(reason);
      if (failure != null) {
        throw failure;
      }
      return new RebalanceReport(7, 0.6, 0.1);
    }

    @Override public String name() {
      return "test-rebalancer";
    }

    @Override public PhysicsPlugin create(PluginContext context) {
      return this;
    }
  }

  private static WarpEngine open(PhysicsPluginProvider... extra) {
    WarpOptions.Builder b = WarpOptions.builder().shards(SHARDS)
        .property("entropy.interval", "PT1H"); // the tests sample by hand
    for (PhysicsPluginProvider p : extra) {
      b.addPlugin(p);
    }
    return Warp.open(b.build());
  }

  private static void uniformLoad(WarpEngine engine) {
    for (int i = 0; i < 4_000; i++) {
      engine.put("key-" + i, new byte[8]);
    }
    for (int i = 0; i < 4_000; i++) {
      engine.get("key-" + i);
    }
  }

  private static void skewedLoad(WarpEngine engine) {
    for (int i = 0; i < 8_000; i++) {
      engine.get("key-1");
    }
  }

  @Test
  void aWorkloadThatTurnsSkewedIsDetectedAtTheNextSample() {
    try (WarpEngine engine = open()) {
      EntropyMonitor monitor = engine.plugin(EntropyMonitor.class).orElseThrow();
      uniformLoad(engine);
      EntropySample even = monitor.sampleNow();
      assertTrue(even.load() > 0.98, even.toString());
      assertTrue(even.entries() > 0.98, even.toString());
      skewedLoad(engine);
      EntropySample skewed = monitor.sampleNow();
      // All reads of one key land on one shard: the load entropy collapses.
      assertTrue(skewed.load() < 0.1, skewed.toString());
      assertEquals(EntropyState.CRITICAL, skewed.state());
      assertTrue(skewed.trend() < 0, skewed.toString());
      assertTrue(skewed.keyAccess() < even.keyAccess(), skewed + " vs " + even);
      assertEquals(2, monitor.history().size());
    }
  }

  @Test
  void theDemonAsksTheRebalancerAfterEnoughLowSamplesAndThenCoolsDown() {
    RecordingRebalancer rebalancer = new RecordingRebalancer();
    try (WarpEngine engine = open(rebalancer)) {
      EntropyMonitor monitor = engine.plugin(EntropyMonitor.class).orElseThrow();
      skewedLoad(engine);
      monitor.sampleNow();
      assertEquals(0, rebalancer.reasons.size(), "one low sample is not enough (demonSamples=2)");
      skewedLoad(engine);
      monitor.sampleNow();
      assertEquals(1, rebalancer.reasons.size());
      assertTrue(rebalancer.reasons.getFirst().startsWith("load entropy 0.000 below 0.850 for 2 samples"),
          rebalancer.reasons.getFirst());
      for (int i = 0; i < 6; i++) {                // the cooldown: 6 samples
        skewedLoad(engine);
        monitor.sampleNow();
      }
      assertEquals(1, rebalancer.reasons.size());
      skewedLoad(engine);
      monitor.sampleNow();
      skewedLoad(engine);
      monitor.sampleNow();
      assertEquals(2, rebalancer.reasons.size());
      EntropyMonitor.DemonReport d = monitor.demon();
      assertEquals(2, d.triggers());
      assertEquals(2, d.rebalances());
      assertEquals(7, d.lastMoved());
      assertTrue(d.rebalancerPresent());
      assertEquals(0.0, d.lastBefore(), 1e-9);
    }
  }

  @Test
  void withoutARebalancerTheDemonOnlyReports() {
    try (WarpEngine engine = open()) {
      EntropyMonitor monitor = engine.plugin(EntropyMonitor.class).orElseThrow();
      skewedLoad(engine);
      monitor.sampleNow();
      skewedLoad(engine);
      monitor.sampleNow();
      EntropyMonitor.DemonReport d = monitor.demon();
      assertEquals(1, d.triggers());
      assertEquals(0, d.rebalances());
      assertFalse(d.rebalancerPresent());
      assertTrue(Double.isNaN(d.lastBefore()));
    }
  }

  @Test
  void theReportIsJsonAndTheMetricsComeFromTheSamples() {
    try (WarpEngine engine = open()) {
      EntropyMonitor monitor = engine.plugin(EntropyMonitor.class).orElseThrow();
      uniformLoad(engine);
      EntropySample s = monitor.sampleNow();
      String json = monitor.reportJson();
      assertTrue(json.startsWith("{\"samples\":1,\"latest\":{"), json);
      assertTrue(json.contains("\"state\":\"" + s.state() + "\""), json);
      assertTrue(json.contains("\"lastBefore\":null"), json);
      assertTrue(json.endsWith("\"rebalancerPresent\":false}}"), json);
      assertEquals(s.load(), engine.metrics().pluginMetrics().get("entropy").get("loadEntropy"));
    }
  }

  @Test
  void aFailedSampleIsLoggedAndTheNextOneRunsUntilClose() {
    ManualScheduler scheduler = new ManualScheduler();
    RecordingRebalancer rebalancer = new RecordingRebalancer();
    rebalancer.failure = new UncheckedIOException(new IOException("No space left on device"));
    try (WarpEngine engine = Warp.open(WarpOptions.builder().shards(SHARDS).discoverPlugins(false)
        .addPlugin(new NamedPluginProvider("entropy",
            ctx -> new EntropyPlugin(scheduler.contextFor(ctx))) {})
        .addPlugin(rebalancer).build())) {
      EntropyMonitor monitor = engine.plugin(EntropyMonitor.class).orElseThrow();
      skewedLoad(engine);
      scheduler.runPeriodic();
      skewedLoad(engine);
      assertDoesNotThrow(scheduler::runPeriodic, "the demon's rebalance fails");
      assertEquals(1, rebalancer.reasons.size());
      scheduler.runPeriodic();
      assertEquals(3, monitor.history().size(), "the sample after the failed one ran");
      engine.close();
      assertTrue(scheduler.periodicAllCancelled(), "close stops the sampling");
    }
    scheduler.shutdownNow();
  }

  @Test
  void badSettingsFailOpenByName() {
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> Warp.open(
        WarpOptions.builder().property("entropy.threshold", "1.5").build()));
    assertTrue(e.getMessage().contains("entropy.threshold must be in (0, 1]"), e.getMessage());
  }
}
