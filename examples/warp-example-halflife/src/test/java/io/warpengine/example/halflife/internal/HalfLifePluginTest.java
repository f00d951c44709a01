package io.warpengine.example.halflife.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warpengine.Warp;
import io.warpengine.WarpOptions;
import io.warpengine.api.WarpEngine;
import io.warpengine.example.halflife.HalfLife;
import io.warpengine.api.PutOptions;
import io.warpengine.spi.NamedPluginProvider;
import io.warpengine.spi.PhysicsPlugin;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Expiry on a manual clock: when a key goes, what keeps it, what is tracked, bad settings. */
class HalfLifePluginTest {

  private final ManualTicker ticker = new ManualTicker(1_700_000_000_000L);

  /** An in-memory engine whose half-life plugin runs on {@link #ticker}; sweeps run by hand. */
  private WarpEngine open(String... properties) {
    WarpOptions.Builder b = WarpOptions.builder().discoverPlugins(false).shards(4)
        .property("half-life.ttl", "PT10S").property("half-life.interval", "PT1H")
        .addPlugin(new NamedPluginProvider("half-life", ctx -> new HalfLifePlugin(ctx, ticker)) {});
    for (int i = 0; i < properties.length; i += 2) {
      b.property(properties[i], properties[i + 1]);
    }
    return Warp.open(b.build());
  }

  private static HalfLife halfLife(WarpEngine engine) {
    return engine.plugin(HalfLife.class).orElseThrow();
  }

  private static Map<String, Number> metrics(WarpEngine engine) {
    return engine.metrics().pluginMetrics().get("half-life");
  }

  @Test
  void aKeyExpiresOneTtlAfterItsWriteAndNotBefore() {
    try (WarpEngine engine = open()) {
      engine.put("k", new byte[] {1});
      ticker.advanceMillis(9_999);
      assertEquals(0, halfLife(engine).sweep());
      assertTrue(engine.contains("k"));
      assertEquals(Optional.of(Duration.ofMillis(1)), halfLife(engine).remaining("k"));
      ticker.advanceMillis(1);
      assertEquals(1, halfLife(engine).sweep());
      assertFalse(engine.contains("k"));
      assertEquals(Optional.empty(), halfLife(engine).remaining("k"));
      assertEquals(1L, engine.metrics().deletes(), "an expiry is a delete");
      assertEquals(1L, metrics(engine).get("expired"));
      assertEquals(0, metrics(engine).get("tracked"));
    }
  }

  @Test
  void everyKindOfWriteRestartsTheClock() {
    try (WarpEngine engine = open()) {
      engine.put("put", new byte[] {1});
      engine.putIfAbsent("absent", new byte[] {1});
      engine.putAll(Map.of("batch", new byte[] {1}));
      engine.put("replaced", new byte[] {1});
      ticker.advanceMillis(8_000);
      engine.put("put", new byte[] {2});
      engine.delete("absent");
      engine.putIfAbsent("absent", new byte[] {2});
      engine.putAll(Map.of("batch", new byte[] {2}));
      assertTrue(engine.replace("replaced", new byte[] {1}, new byte[] {2}));
      ticker.advanceMillis(8_000);
      assertEquals(0, halfLife(engine).sweep(), "16 s after the first writes, 8 s after the last");
      assertEquals(4, engine.size());
      ticker.advanceMillis(2_000);
      assertEquals(4, halfLife(engine).sweep());
      assertEquals(0, engine.size());
    }
  }

  /**
   * The race the delete's condition exists for, made deterministic: a put lands after the sweep
   * found the key due and before its delete. The put's hook moved the deadline, so the
   * condition fails and the new value stays, with a full TTL.
   */
  @Test
  void aWriteBetweenTheSweepsLookAndItsDeleteKeepsTheKey() {
    WarpEngine[] engine = new WarpEngine[1];
    engine[0] = Warp.open(WarpOptions.builder().discoverPlugins(false)
        .property("half-life.ttl", "PT10S").property("half-life.interval", "PT1H")
        .addPlugin(new NamedPluginProvider("half-life", ctx -> new HalfLifePlugin(
            new InterposedContext(ctx, key -> engine[0].put(key, new byte[] {2})), ticker)) {})
        .build());
    try (WarpEngine e = engine[0]) {
      e.put("k", new byte[] {1});
      ticker.advanceMillis(10_000);
      assertEquals(0, halfLife(e).sweep());
      assertArrayEquals(new byte[] {2}, e.get("k"));
      assertEquals(Optional.of(Duration.ofSeconds(10)), halfLife(e).remaining("k"));
      assertEquals(0L, e.metrics().deletes());
    }
  }

  /**
   * A sweep that runs after a write stored its value but before the write's put hooks (here
   * from a plugin whose onPut runs first and sweeps) must not delete that value: the deadline
   * moved in beforePut, before the value was stored. With the deadline moved in onPut, as the
   * plugin first did, this sweep deleted the new value.
   */
  @Test
  void aValueStoredWhileItsOldDeadlineIsDueIsNotExpired() {
    HalfLife[] plugin = new HalfLife[1];
    AtomicBoolean armed = new AtomicBoolean();
    int[] swept = {-1};
    NamedPluginProvider sweepInPutHook = new NamedPluginProvider("sweep-in-put-hook",
        ctx -> new PhysicsPlugin() {
          @Override
          public void onPut(String key, int shard, int valueBytes, PutOptions options) {
            if (armed.getAndSet(false)) {
              swept[0] = plugin[0].sweep();
            }
          }
        }) {};
    try (WarpEngine e = Warp.open(WarpOptions.builder().discoverPlugins(false)
        .property("half-life.ttl", "PT10S").property("half-life.interval", "PT1H")
        .addPlugin(sweepInPutHook) // its hooks run before half-life's
        .addPlugin(new NamedPluginProvider("half-life",
            ctx -> (HalfLifePlugin) (plugin[0] = new HalfLifePlugin(ctx, ticker))) {})
        .build())) {
      e.put("k", new byte[] {1});
      ticker.advanceMillis(10_000); // the first value's deadline is due
      armed.set(true);
      e.put("k", new byte[] {2}); // stored; then the first plugin's put hook sweeps
      assertEquals(0, swept[0], "the sweep found no deadline due");
      assertArrayEquals(new byte[] {2}, e.get("k"));
      assertEquals(0L, e.metrics().deletes());
    }
  }

  @Test
  void readsDoNotKeepAKeyAlive() {
    try (WarpEngine engine = open()) {
      engine.put("k", new byte[] {1});
      for (int i = 0; i < 10; i++) {
        ticker.advanceMillis(1_000);
        engine.get("k");
      }
      assertEquals(1, halfLife(engine).sweep());
    }
  }

  @Test
  void onlyKeysWithAConfiguredPrefixAreTracked() {
    try (WarpEngine engine = open("half-life.prefixes", "session:, otp:")) {
      engine.put("session:1", new byte[] {1});
      engine.put("otp:1", new byte[] {1});
      engine.put("user:1", new byte[] {1});
      assertEquals(Optional.empty(), halfLife(engine).remaining("user:1"));
      ticker.advanceMillis(60_000);
      assertEquals(2, halfLife(engine).sweep());
      assertEquals(1, engine.size());
      assertTrue(engine.contains("user:1"));
    }
  }

  @Test
  void aKeyDeletedByTheUserIsForgottenNotCountedAsExpired() {
    try (WarpEngine engine = open()) {
      engine.put("k", new byte[] {1});
      engine.delete("k");
      assertEquals(1, metrics(engine).get("tracked"), "a delete costs the hook nothing");
      ticker.advanceMillis(10_000);
      assertEquals(0, halfLife(engine).sweep());
      assertEquals(0L, metrics(engine).get("expired"));
      assertEquals(1L, metrics(engine).get("forgotten"));
      assertEquals(0, metrics(engine).get("tracked"));
      engine.put("k", new byte[] {2});
      assertEquals(Optional.of(Duration.ofSeconds(10)), halfLife(engine).remaining("k"));
    }
  }

  @Test
  void badSettingsFailTheOpenNamingTheProperty() {
    IllegalStateException zero = assertThrows(IllegalStateException.class,
        () -> open("half-life.ttl", "PT0S"));
    assertTrue(zero.getMessage().contains("property half-life.ttl must be at least 1 ms, was PT0S"),
        zero.getMessage());
    IllegalStateException word = assertThrows(IllegalStateException.class,
        () -> open("half-life.interval", "often"));
    assertTrue(word.getMessage().contains("property half-life.interval must be a duration"),
        word.getMessage());
  }

  /** The real provider, found on the module path, with the real clock and scheduler. */
  @Test
  void discoveredOnThePathItExpiresKeysOnItsOwn() throws InterruptedException {
    try (WarpEngine engine = Warp.open(WarpOptions.builder().property("half-life.ttl", "PT0.2S")
        .property("half-life.interval", "PT0.05S").build())) {
      assertTrue(engine.pluginNames().contains("half-life"), engine.pluginNames().toString());
      engine.put("k", new byte[] {1});
      for (int wait = 0; wait < 200 && engine.contains("k"); wait++) {
        Thread.sleep(50);
      }
      assertFalse(engine.contains("k"), "not expired within 10 s of a 0.2 s TTL");
      assertEquals(1L, metrics(engine).get("expired"));
      assertEquals(0L, metrics(engine).get("sweepFailures"));
    }
  }
}
