package io.warpengine.physics.quantum.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warpengine.Warp;
import io.warpengine.WarpOptions;
import io.warpengine.api.WarpEngine;
import io.warpengine.physics.quantum.Entanglement;
import io.warpengine.physics.quantum.LinkSource;
import io.warpengine.physics.quantum.Observation;
import io.warpengine.physics.quantum.Partner;
import io.warpengine.spi.NamedPluginProvider;
import io.warpengine.spi.RelationSource;
import io.warpengine.testkit.ManualScheduler;
import io.warpengine.testkit.ForwardingPluginContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class QuantumPluginTest {

  private WarpEngine engine;

  private Entanglement open(String... properties) {
    WarpOptions.Builder b = WarpOptions.builder().shards(4)
        // The tests drive learning and decay themselves.
        .property("quantum.learnInterval", "PT1H").property("quantum.decayInterval", "PT1H");
    for (int i = 0; i < properties.length; i += 2) {
      b.property(properties[i], properties[i + 1]);
    }
    engine = Warp.open(b.build());
    return engine.plugin(Entanglement.class).orElseThrow();
  }

  @AfterEach
  void close() {
    engine.close();
  }

  private static byte[] v(String s) {
    return s.getBytes(UTF_8);
  }

  /** Stores each key with its own name as the value. */
  private void putKeys(String... keys) {
    for (String k : keys) {
      engine.put(k, v(k));
    }
  }

  /** Reads {@code a} then {@code b}, {@code times} times, on this thread. */
  private void readTogether(String a, String b, int times) {
    for (int i = 0; i < times; i++) {
      engine.get(a);
      engine.get(b);
    }
  }

  @Test
  void explicitLinksAreSymmetricAndReplaceable() {
    Entanglement q = open();
    q.entangle("a", "b", 0.5);
    q.entangle("a", "c", 0.8);
    assertEquals(List.of(new Partner("c", 0.8, LinkSource.EXPLICIT), new Partner("b", 0.5, LinkSource.EXPLICIT)),
        q.partners("a"));
    assertEquals(List.of(new Partner("a", 0.5, LinkSource.EXPLICIT)), q.partners("b"));
    q.entangle("b", "a", 0.9);
    assertEquals(0.9, q.partners("a").getFirst().strength());
    assertTrue(q.disentangle("a", "b"));
    assertFalse(q.disentangle("b", "a"));
    assertEquals(List.of("c"), q.partners("a").stream().map(Partner::key).toList());
    assertEquals(List.of(), q.partners("b"));
    assertEquals(1L, engine.metrics().pluginMetrics().get("quantum").get("explicitLinks"));
  }

  @Test
  void badLinksAreRejectedByName() {
    Entanglement q = open();
    assertTrue(assertThrows(IllegalArgumentException.class, () -> q.entangle("a", "a", 0.5))
        .getMessage().contains("itself"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> q.entangle("a", "b", 0))
        .getMessage().contains("(0, 1]"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> q.entangle("a", "b", 1.5))
        .getMessage().contains("(0, 1]"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> q.entangle(null, "b", 0.5))
        .getMessage().contains("key must not be null"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> q.partners(""))
        .getMessage().contains("key must not be empty"));
    assertEquals(List.of(), q.partners("a"));
  }

  @Test
  void quantumGetReadsTheKeyAndItsExistingPartnersStrongestFirst() {
    Entanglement q = open("quantum.preset", "original");
    engine.put("user:1", v("ada"));
    engine.put("profile:1", v("p"));
    engine.put("settings:1", v("s"));           // sessions:1 does not exist
    engine.put("extra", v("x"));
    q.entangle("user:1", "extra", 0.95);
    q.entangle("user:1", "weak", 0.05);          // below the default 0.1
    Observation o = q.quantumGet("user:1");
    assertArrayEquals(v("ada"), o.value());
    assertEquals(List.of("extra", "profile:1", "settings:1"), new ArrayList<>(o.partners().keySet()));
    assertEquals(4, o.asked());                  // extra, profile, sessions, settings
    assertEquals(0.75, o.efficiency());
    Observation limited = q.quantumGet("user:1", 1, 0.1);
    assertEquals(List.of("extra"), new ArrayList<>(limited.partners().keySet()));
    Map<String, Number> m = engine.metrics().pluginMetrics().get("quantum");
    assertEquals(2L, m.get("observations"));
    assertEquals(5L, m.get("partnersAsked"));
    assertEquals(4L, m.get("partnersFound"));
  }

  @Test
  void theRelationSourceSpiServesTheSamePartners() {
    Entanglement q = open();
    q.entangle("a", "b", 0.7);
    RelationSource source = engine.plugin(RelationSource.class).orElseThrow();
    assertEquals(List.of(new RelationSource.Relation("b", 0.7)), source.related("a", 10, 0.1));
  }

  @Test
  void relatedChecksItsArgumentsAsQuantumGetDoes() {
    open().entangle("a", "b", 0.7);
    RelationSource source = engine.plugin(RelationSource.class).orElseThrow();
    assertTrue(assertThrows(IllegalArgumentException.class, () -> source.related("a", -1, 0.1))
        .getMessage().contains("max must not be negative, was -1"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> source.related(null, 10, 0.1))
        .getMessage().contains("key must not be null"));
    assertEquals(List.of(), source.related("a", 0, 0.1));
  }

  @Test
  void aFailedPassIsLoggedAndTheNextOneRunsUntilClose() {
    ManualScheduler scheduler = new ManualScheduler();
    AtomicBoolean diskFull = new AtomicBoolean();
    engine = Warp.open(WarpOptions.builder().discoverPlugins(false)
        .addPlugin(new NamedPluginProvider("quantum",
            ctx -> new QuantumPlugin(new ForwardingPluginContext(scheduler.contextFor(ctx)) {
              @Override
              public boolean saveMetadata(byte[] payload) {
                if (diskFull.get()) {
                  throw new UncheckedIOException(new IOException("No space left on device"));
                }
                return super.saveMetadata(payload);
              }
            })) {})
        .build());
    Entanglement q = engine.plugin(Entanglement.class).orElseThrow();
    q.entangle("a", "x", 0.5);
    q.entangle("b", "x", 0.5);
    putKeys("a", "b");
    engine.delete("a");
    diskFull.set(true);
    assertDoesNotThrow(scheduler::runPeriodic, "the learner's save of a's unlinking fails");
    diskFull.set(false);
    engine.delete("b");
    scheduler.runPeriodic();
    assertEquals(List.of(), q.partners("x"), "the learner ran again after the failed pass");
    engine.close();
    assertTrue(scheduler.periodicAllCancelled(), "close stops learning and decay");
    scheduler.shutdownNow();
  }

  @Test
  void linksAreLearnedFromReadsOfTheSameThreadOnly() throws Exception {
    Entanglement q = open("quantum.learnRate", "0.2");
    putKeys("x", "y", "p", "q");
    readTogether("x", "y", 5);
    // p and q are read alternately, but each by its own thread.
    Thread tp = Thread.ofPlatform().start(() -> { for (int i = 0; i < 5; i++) engine.get("p"); });
    Thread tq = Thread.ofPlatform().start(() -> { for (int i = 0; i < 5; i++) engine.get("q"); });
    tp.join();
    tq.join();
    q.learnNow();
    Partner learned = q.partners("x").getFirst();
    assertEquals("y", learned.key());
    assertEquals(LinkSource.LEARNED, learned.source());
    assertTrue(learned.strength() > 0.5, learned.toString());
    assertEquals(List.of(), q.partners("p"));
  }

  @Test
  void learnedLinksDecayAndAreDroppedBelowTheFloor() {
    Entanglement q = open("quantum.learnRate", "0.5", "quantum.decayFactor", "0.5", "quantum.floor", "0.2");
    engine.put("a", v("a"));
    engine.put("b", v("b"));
    engine.get("a");
    engine.get("b");
    q.learnNow();
    assertEquals(List.of(), q.partners("a"), "a first co-read only passes the doorkeeper");
    engine.get("a");
    engine.get("b");
    q.learnNow();
    // One to three reinforcements of 0.5 each, as the learner's passes fall: 0.5, 0.75 or 0.875.
    double strength = q.partners("a").getFirst().strength();
    assertTrue(strength >= 0.5 && strength <= 0.875 + 1e-6, "strength " + strength);
    QuantumPlugin plugin = (QuantumPlugin) q;
    while (strength * 0.5 >= 0.2) {
      plugin.decayNow();
      strength *= 0.5;
      assertEquals(strength, q.partners("a").getFirst().strength(), 1e-6);
    }
    plugin.decayNow();
    assertEquals(List.of(), q.partners("a"), "dropped below the floor");
    assertEquals(0L, engine.metrics().pluginMetrics().get("quantum").get("learnedLinks"));
  }

  @Test
  void learnedMemoryIsBoundedPerKeyAndInAll() {
    Entanglement q = open("quantum.topK", "2", "quantum.maxLearnedLinks", "6", "quantum.window", "8");
    for (int i = 0; i < 8; i++) {
      engine.put("k" + i, v("x"));
    }
    for (int pass = 0; pass < 2; pass++) { // the second co-read of a pair makes its link
      for (int i = 0; i < 8; i++) {
        engine.get("k" + i);
      }
    }
    q.learnNow();
    for (int i = 0; i < 8; i++) {
      assertTrue(q.partners("k" + i).size() <= 2, () -> q.partners("k0").toString());
    }
    Map<String, Number> m = engine.metrics().pluginMetrics().get("quantum");
    assertTrue(m.get("learnedLinks").longValue() <= 3, m.toString()); // 6 directions
    assertTrue(m.get("learnedRefusedByCap").longValue() > 0, m.toString());
  }

  @Test
  void deletingAKeyRemovesItsLinks() {
    Entanglement q = open();
    engine.put("a", v("a"));
    engine.put("b", v("b"));
    q.entangle("a", "c", 0.9);
    for (int i = 0; i < 2; i++) { // the second co-read makes the link
      engine.get("a");
      engine.get("b");
    }
    q.learnNow();
    assertEquals(2, q.partners("a").size());
    engine.delete("a");
    q.learnNow();
    assertEquals(List.of(), q.partners("a"));
    assertEquals(List.of(), q.partners("b"));
    assertEquals(List.of(), q.partners("c"));
  }

  @Test
  void withLearningOffNoReadIsRecordedAndExplicitLinksStillWork() {
    Entanglement q = open("quantum.learn", "false");
    putKeys("x", "y", "a", "b");
    readTogether("x", "y", 5);
    q.learnNow();
    assertEquals(List.of(), q.partners("x"), "nothing is learned");
    Map<String, Number> m = engine.metrics().pluginMetrics().get("quantum");
    assertEquals(0L, m.get("sampledReads"), m.toString());
    assertEquals(0L, m.get("sampleBursts"), m.toString());
    q.entangle("a", "b", 0.8);
    assertEquals("b", q.quantumGet("a").partners().keySet().iterator().next());
    engine.delete("b");
    q.learnNow();
    assertEquals(List.of(), q.partners("a"), "a deleted key's links go without a learner too");
  }

  @Test
  void badSettingsFailOpenByName() {
    var e = assertThrows(IllegalStateException.class, () -> open("quantum.preset", "nope"));
    assertTrue(e.getMessage().contains("quantum.preset 'nope' is unknown"), e.getMessage());
    var rate = assertThrows(IllegalStateException.class, () -> open("quantum.learnRate", "2"));
    assertTrue(rate.getMessage().contains("quantum.learnRate must be in (0, 1]"), rate.getMessage());
    var learn = assertThrows(IllegalStateException.class, () -> open("quantum.learn", "off"));
    assertTrue(learn.getMessage().contains("quantum.learn"), learn.getMessage());
    var decay = assertThrows(IllegalStateException.class, () -> open("quantum.decayInterval", "PT0S"));
    assertTrue(decay.getMessage().contains("quantum.decayInterval must be at least 1 ms, was PT0S"),
        decay.getMessage());
    var every = assertThrows(IllegalStateException.class, () -> open("quantum.learnInterval", "-PT1S"));
    assertTrue(every.getMessage().contains("quantum.learnInterval must be at least 1 ms, was PT-1S"),
        every.getMessage());
    engine = Warp.open(WarpOptions.builder().build()); // for @AfterEach
  }
}
