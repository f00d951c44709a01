package io.warpengine.wal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warpengine.Warp;
import io.warpengine.WarpOptions;
import io.warpengine.api.MetricsSnapshot;
import io.warpengine.api.SyncPolicy;
import io.warpengine.api.WarpEngine;
import io.warpengine.physics.cache.EventHorizon;
import io.warpengine.spi.NamedPluginProvider;
import io.warpengine.spi.PhysicsPlugin;
import io.warpengine.spi.PhysicsPluginProvider;
import io.warpengine.testkit.Concurrently;
import io.warpengine.testkit.MixedWorkload;
import io.warpengine.testkit.RegisterModel;
import io.warpengine.testkit.ShardViewProbe;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Random;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A durable engine with the event horizon: values beyond the budget leave the heap and are read
 * back from the log, by every operation, across restarts, and while snapshots move them.
 */
class HorizonOnDiskTest {

  private static final int KEYS = 2_000;
  private static final long BUDGET = 32 << 10;

  @TempDir
  Path dir;

  private static byte[] value(int i) {
    return ("v" + i + "-" + "0123456789".repeat(100 + i % 7)).getBytes(UTF_8);
  }

  private WarpOptions options(String... properties) {
    WarpOptions.Builder b = WarpOptions.builder().dataDirectory(dir).shards(4)
        .syncPolicy(SyncPolicy.NONE).property("wal.segmentBytes", "65536");
    for (int i = 0; i < properties.length; i += 2) {
      b.property(properties[i], properties[i + 1]);
    }
    return b.build();
  }

  private static EventHorizon horizon(WarpEngine e) {
    return e.plugin(EventHorizon.class).orElseThrow();
  }

  /** The heap holds what the policy tracks, within the budget; byte counts are exact. */
  private static void assertResidency(WarpEngine e, long expectedBytes) {
    horizon(e).cleanUp();
    MetricsSnapshot m = e.metrics();
    assertEquals(expectedBytes, m.bytes(), "bytes of all values, inside and beyond");
    long resident = m.bytes() - m.beyondBytes();
    assertEquals(resident, horizon(e).residentWeight(), "bytes the policy tracks inside");
    assertTrue(resident <= BUDGET, () -> resident + " bytes on the heap, over the budget");
  }

  @Test
  void mostValuesLiveBeyondTheHorizonAndReadBackAlsoAfterARestart() {
    long total = 0;
    WarpOptions o = options("cache.budgetBytes", Long.toString(BUDGET));
    try (WarpEngine e = Warp.open(o)) {
      for (int i = 0; i < KEYS; i++) {
        e.put("k" + i, value(i));
        total += value(i).length;
      }
      assertResidency(e, total);
      MetricsSnapshot m = e.metrics();
      assertTrue(m.beyondEntries() > KEYS * 9 / 10, () -> m.beyondEntries() + " beyond");
      Map<String, Number> cache = m.pluginMetrics().get("cache");
      assertEquals(1, cache.get("durable").intValue());
      for (int i = 0; i < KEYS; i++) {
        assertArrayEquals(value(i), e.get("k" + i), "k" + i);
      }
      assertTrue(e.metrics().diskLoads() >= m.beyondEntries(), "every value beyond was loaded");
      assertEquals(e.metrics().diskLoads(),
          e.metrics().pluginMetrics().get("cache").get("diskLoads").longValue());
      assertResidency(e, total);
    }
    try (WarpEngine e = Warp.open(o)) {
      MetricsSnapshot m = e.metrics();
      assertEquals(KEYS, m.entries());
      assertEquals(KEYS, m.beyondEntries(), "a restart starts cold: every value on disk");
      SortedMap<String, byte[]> all = e.scan("k", KEYS);
      for (int i = 0; i < KEYS; i++) {
        assertArrayEquals(value(i), all.get("k" + i), "k" + i);
      }
      assertTrue(e.contains("k1"));
      assertArrayEquals(value(2), e.getAll(List.of("k2")).get("k2"));
      assertArrayEquals(value(3), e.putIfAbsent("k3", value(0)), "putIfAbsent sees it on disk");
      assertTrue(e.replace("k4", value(4), value(40)), "replace compares it on disk");
      assertFalse(e.replace("k5", value(4), value(50)));
      assertTrue(e.delete("k6"));
      assertNull(e.get("k6"));
      total += value(40).length - value(4).length - value(6).length;
      assertResidency(e, total);
    }
  }

  /**
   * Overwrites, deletes, releases to disk, loads back and snapshots that relocate values, all
   * racing: with a journal a value never vanishes, so every key's history must be linearizable
   * against a plain register, and the counters exact.
   */
  /** With a write buffer of one event, loads find it full and drain it themselves. */
  @ParameterizedTest(name = "maxEntries={0} seed={1} writeBuffer={2}")
  @CsvSource({"2, 41, 1024", "6, 42, 1024", "2, 43, 1"})
  void valuesNeverVanishNorComeBackStale(int maxEntries, long seed, int writeBuffer)
      throws Exception {
    MixedWorkload workload = new MixedWorkload(8, 4_000, 24, seed);
    WarpOptions o = WarpOptions.builder().dataDirectory(dir).shards(4)
        .syncPolicy(SyncPolicy.NONE).property("wal.segmentBytes", "4096")
        .property("wal.snapshotInterval", "PT0.005S")
        .property("cache.maxEntries", Integer.toString(maxEntries))
        .property("cache.writeBuffer", Integer.toString(writeBuffer)).build();
    try (WarpEngine e = Warp.open(o)) {
      EventHorizon horizon = horizon(e);
      MixedWorkload.History history = workload.run(e, horizon::cleanUp, horizon::cleanUp);
      horizon.cleanUp(); // the final reads brought values back inside
      MetricsSnapshot m = e.metrics();
      assertEquals(List.of(), history.violations(RegisterModel.MODEL), "non-linearizable keys");
      assertEquals(history.expectedCounts(), MixedWorkload.Counts.of(m));
      assertEquals(history.finalEntries(), m.entries(), "entries");
      assertEquals(history.finalBytes(), m.bytes(), "bytes");
      assertEquals(0, m.evictions(), "with a journal nothing is evicted");
      Map<String, Number> journal = m.pluginMetrics().get("journal");
      assertTrue(m.diskLoads() >= 1_000, () -> "values barely left the heap: " + m.diskLoads());
      assertTrue(journal.get("relocations").longValue() > 0, journal::toString);
      assertTrue(journal.get("snapshots").longValue() >= 3, journal::toString);
      assertEquals(m.entries() - m.beyondEntries(), horizon.residentWeight(), "tracked inside");
      assertTrue(horizon.residentWeight() <= maxEntries);
    }
  }
  /** A plugin's view reads a mix of resident, cold and missing keys at once, changing nothing. */
  @Test
  void peekAllReadsColdValuesTogetherAndLeavesThemBeyondTheHorizon() {
    ShardViewProbe viewer = new ShardViewProbe();
    WarpOptions.Builder b = WarpOptions.builder().dataDirectory(dir).shards(4)
        .syncPolicy(SyncPolicy.NONE).property("wal.segmentBytes", "65536")
        .property("cache.budgetBytes", Long.toString(BUDGET)).addPlugin(viewer);
    try (WarpEngine e = Warp.open(b.build())) {
      for (int i = 0; i < KEYS; i++) {
        e.put("k" + i, value(i));
      }
      horizon(e).cleanUp();
      List<String> keys = new ArrayList<>();
      for (int i = 0; i < KEYS; i += 13) {
        keys.add("k" + i);
      }
      Collections.shuffle(keys, new Random(7));
      keys.add(3, "missing");
      long resident = keys.stream().filter(viewer.view()::resident).count();
      assertTrue(resident < keys.size() - 10, "most of them are beyond the horizon");
      long reads = e.metrics().reads();

      Map<String, byte[]> all = viewer.view().peekAll(keys);

      assertEquals(keys.stream().filter(k -> !k.equals("missing")).toList(),
          List.copyOf(all.keySet()), "the keys with a value, in the order asked");
      all.forEach((k, v) -> assertArrayEquals(value(Integer.parseInt(k.substring(1))), v, k));
      assertEquals(resident, keys.stream().filter(viewer.view()::resident).count(),
          "nothing was brought inside");
      assertEquals(reads, e.metrics().reads(), "no read was counted");
    }
  }

  /**
   * Reads that bring values back from disk weigh on the budget while they happen, not only once
   * the plugin scheduler gets round to a drain: with that scheduler kept busy, a pass over every
   * key must leave at most the write ring's worth of loaded values untracked on the heap (a load
   * that finds the ring full drains it itself, as a write does). Then two readers, one uniform
   * and one skewed, race the background drain, and after it the policy tracks exactly the bytes
   * inside, within the budget.
   */
  @Test
  void loadsFromDiskStayWithinTheBudgetEvenWhenNoBackgroundDrainRuns() throws Exception {
    int ring = 16;
    CountDownLatch schedulerFree = new CountDownLatch(1);
    WarpOptions o = WarpOptions.builder().dataDirectory(dir).shards(4)
        .syncPolicy(SyncPolicy.NONE).property("wal.segmentBytes", "65536")
        .property("cache.budgetBytes", Long.toString(BUDGET))
        .property("cache.writeBuffer", Integer.toString(ring))
        .addPlugin(occupyingTheScheduler(schedulerFree)).build();
    long total = 0;
    try (WarpEngine e = Warp.open(o)) {
      try {
        for (int i = 0; i < KEYS; i++) {
          e.put("k" + i, value(i));
          total += value(i).length;
        }
        horizon(e).cleanUp();
        long slack = ring * (long) value(6).length; // the longest value
        for (int i = 0; i < KEYS; i++) {
          assertArrayEquals(value(i), e.get("k" + i), "k" + i);
          MetricsSnapshot m = e.metrics();
          long inside = m.bytes() - m.beyondBytes();
          int read = i;
          assertTrue(inside <= BUDGET + slack, () -> inside + " bytes on the heap after "
              + (read + 1) + " reads, budget " + BUDGET + " and a ring of " + ring + " events");
        }
      } finally {
        schedulerFree.countDown();
      }
      Concurrently.run(2, thread -> { // a failed read throws out of run
        boolean skewed = thread == 1;
        SplittableRandom random = new SplittableRandom(17 + thread);
        for (int n = 0; n < 4 * KEYS; n++) {
          double u = random.nextDouble();
          int i = (int) (KEYS * (skewed ? u * u * u : u));
          assertArrayEquals(value(i), e.get("k" + i), "k" + i);
        }
        return List.of();
      });
      assertTrue(e.metrics().diskLoads() > 2 * KEYS, "the readers loaded values from disk");
      assertResidency(e, total);
    }
  }

  /** A plugin that keeps the plugin scheduler's two threads busy until {@code free} opens. */
  private static PhysicsPluginProvider occupyingTheScheduler(CountDownLatch free) {
    return new NamedPluginProvider("busy", context -> new PhysicsPlugin() {
      @Override
      public void start() {
        for (int thread = 0; thread < 2; thread++) {
          context.scheduler().execute(() -> {
            try {
              free.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          });
        }
      }
    }) {};
  }
}
