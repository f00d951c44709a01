package io.warpengine.example.halflife.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warpengine.Warp;
import io.warpengine.WarpOptions;
import io.warpengine.api.WarpEngine;
import io.warpengine.example.halflife.HalfLife;
import io.warpengine.spi.NamedPluginProvider;
import io.warpengine.testkit.ChildJvm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lease in the journal: after a clean close or a SIGKILL, recovered keys get the deadline
 * {@code min(now, lease) + ttl}, never earlier than a TTL after their put, and they do expire.
 */
class HalfLifeDurabilityTest {

  @TempDir
  Path dir;
  /** Apart from the data directory, which refuses files it did not write. */
  @TempDir
  Path logs;

  private WarpEngine open(ManualTicker ticker, String ttl) {
    return Warp.open(WarpOptions.builder().dataDirectory(dir).discoverPlugins(false)
        .property("half-life.ttl", ttl).property("half-life.interval", "PT1H")
        .addPlugin(new NamedPluginProvider("half-life", ctx -> new HalfLifePlugin(ctx, ticker)) {})
        .build());
  }

  @Test
  void aCleanCloseSavesItsTimeAndTheDowntimeCountsAgainstTheTtl() {
    ManualTicker ticker = new ManualTicker(1_700_000_000_000L);
    try (WarpEngine engine = open(ticker, "PT10S")) {
      engine.put("k", new byte[] {1});
      ticker.advanceMillis(2_000);
      engine.put("later", new byte[] {1});
      assertEquals(1, engine.metrics().pluginMetrics().get("half-life").get("durable"));
    }
    ticker.advanceMillis(3_000); // down for 3 s
    try (WarpEngine engine = open(ticker, "PT10S")) {
      HalfLife halfLife = engine.plugin(HalfLife.class).orElseThrow();
      // Both were written before the close, at the latest: 10 s from then, 7 s from now.
      assertEquals(Optional.of(Duration.ofSeconds(7)), halfLife.remaining("k"));
      assertEquals(Optional.of(Duration.ofSeconds(7)), halfLife.remaining("later"));
      assertEquals(2L, engine.metrics().pluginMetrics().get("half-life").get("recoveredKeys"));
      ticker.advanceMillis(6_999);
      assertEquals(0, halfLife.sweep());
      ticker.advanceMillis(1);
      assertEquals(2, halfLife.sweep());
      assertEquals(0, engine.size());
    }
    try (WarpEngine engine = open(ticker, "PT10S")) {
      assertEquals(0, engine.size(), "expiries are logged deletes");
    }
  }

  @Test
  void aDamagedLeaseRecordFailsTheOpenWithItsName() {
    ManualTicker ticker = new ManualTicker(1_700_000_000_000L);
    WarpOptions.Builder writer = WarpOptions.builder().dataDirectory(dir).discoverPlugins(false)
        .addPlugin(new NamedPluginProvider("half-life", ctx -> {
          return new io.warpengine.spi.PhysicsPlugin() {
            @Override
            public void start() {
              ctx.saveMetadata(new byte[] {9, 9});
            }
          };
        }) {});
    Warp.open(writer.build()).close();
    IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(
        IllegalStateException.class, () -> open(ticker, "PT10S"));
    assertTrue(e.getMessage().contains("half-life") && e.getMessage().contains("(2 bytes)"),
        e.getMessage());
  }

  /**
   * A child JVM puts keys in ALWAYS mode with the plugin on the real clocks and is killed with
   * SIGKILL at a random moment, three times. After each kill the parent reopens (on a clock set
   * to the real time) and checks every acknowledged key of that cycle: it is there, and its
   * deadline is at least one TTL after its put was called. Then it jumps the clock past every
   * deadline: all keys expire.
   */
  @Test
  void afterASigkillNoRecoveredKeyExpiresEarlyAndAllExpire() throws Exception {
    SplittableRandom random = new SplittableRandom(77);
    long ttlMillis = 60_000;
    for (int cycle = 0; cycle < 3; cycle++) {
      Path log = logs.resolve("child.log");
      Process child = ChildJvm.start(HalfLifeCrashChild.class, "io.warpengine.example.halflife",
          List.of(dir.toString(), Integer.toString(cycle)), log);
      Map<Integer, Long> acknowledged = new LinkedHashMap<>();
      ChildJvm.killAfterLines(child, 50 + random.nextInt(200), line -> {
        String[] f = line.strip().split(" "); // key number, the time its put was called
        acknowledged.put(Integer.parseInt(f[0]), Long.parseLong(f[1]));
      }, log);
      ManualTicker ticker = new ManualTicker(System.currentTimeMillis());
      try (WarpEngine engine = open(ticker, "PT1M")) {
        HalfLife halfLife = engine.plugin(HalfLife.class).orElseThrow();
        for (Map.Entry<Integer, Long> ack : acknowledged.entrySet()) {
          String key = "c" + cycle + ":" + ack.getKey();
          assertTrue(engine.contains(key), "cycle " + cycle + ": lost " + key);
          long remaining = halfLife.remaining(key).orElseThrow().toMillis();
          long earliest = ack.getValue() + ttlMillis - ticker.wallMillis();
          assertTrue(remaining >= earliest, "cycle " + cycle + ": " + key + " would expire "
              + (earliest - remaining) + " ms early");
        }
        ticker.advanceMillis(ttlMillis);
        halfLife.sweep();
        assertEquals(0, engine.size(), "cycle " + cycle + ": every recovered key expires");
      }
    }
  }
}
