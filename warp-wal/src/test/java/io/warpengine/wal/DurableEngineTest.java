package io.warpengine.wal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warpengine.api.MetricsSnapshot;
import io.warpengine.api.SyncPolicy;
import io.warpengine.Warp;
import io.warpengine.api.WarpEngine;
import io.warpengine.WarpOptions;
import io.warpengine.spi.NamedPluginProvider;
import io.warpengine.spi.PhysicsPlugin;
import io.warpengine.spi.PhysicsPluginProvider;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine with this module on the path: durable, and a restart finds the data. */
class DurableEngineTest {

  @TempDir
  Path dir;

  private static byte[] b(String s) {
    return s.getBytes(UTF_8);
  }

  @Test
  void everyWriteKindSurvivesARestartWithExactCounters() {
    WarpOptions o = WarpOptions.builder().dataDirectory(dir).syncPolicy(SyncPolicy.ALWAYS)
        .shards(4).build();
    try (WarpEngine e = Warp.open(o)) {
      assertTrue(e.isDurable());
      e.put("a", b("1"));
      e.put("b", b("22"));
      assertNull(e.putIfAbsent("c", b("333")));
      assertArrayEquals(b("333"), e.putIfAbsent("c", b("x")));
      assertTrue(e.replace("a", b("1"), b("4444")));
      assertFalse(e.replace("a", b("1"), b("5")));
      assertTrue(e.delete("b"));
      assertFalse(e.delete("b"));
      e.putAll(Map.of("d", b("d"), "e", b("ee")));
      Map<String, byte[]> bad = new HashMap<>();
      bad.put("f", b("f"));
      bad.put("g", null);
      assertThrows(IllegalArgumentException.class, () -> e.putAll(bad));
      assertFalse(e.contains("f"), "a rejected batch stores nothing");
      Map<String, Number> journal = e.metrics().pluginMetrics().get("journal");
      assertEquals(6L, journal.get("appends"), "only writes that changed something are logged");
    }
    try (WarpEngine e = Warp.open(o)) {
      Map<String, String> got = new LinkedHashMap<>();
      e.scan("", 100).forEach((k, v) -> got.put(k, new String(v, UTF_8)));
      assertEquals(Map.of("a", "4444", "c", "333", "d", "d", "e", "ee"), got);
      MetricsSnapshot m = e.metrics();
      assertEquals(4, m.entries());
      assertEquals(4 + 3 + 1 + 2, m.bytes(), "byte count rebuilt exactly");
      assertEquals(0, m.writes(), "recovery is not counted as writes");
      e.put("a", b("after restart"));
      assertEquals(7L, e.metrics().pluginMetrics().get("journal").get("writtenSequence"),
          "the sequence continues after the restart");
    }
  }

  @Test
  void aSecondEngineOnTheSameDirectoryIsRefused() {
    WarpOptions o = WarpOptions.builder().dataDirectory(dir).build();
    try (WarpEngine e = Warp.open(o)) {
      IllegalStateException refused = assertThrows(IllegalStateException.class, () -> Warp.open(o));
      assertTrue(refused.getMessage().contains("in use"), refused.getMessage());
      assertTrue(e.isDurable());
    }
  }

  @Test
  void withoutADataDirectoryTheEngineStaysInMemory() {
    try (WarpEngine e = Warp.open(WarpOptions.defaults())) {
      assertFalse(e.isDurable());
    }
  }

  /** A plugin that saves how often it started, and reads it back after a restart. */
  private static PhysicsPluginProvider counter(AtomicReference<Optional<byte[]>> seen) {
    return new NamedPluginProvider("counter", context -> new PhysicsPlugin() {
      @Override
      public void start() {
        Optional<byte[]> before = context.recoveredMetadata();
        seen.set(before);
        int starts = before.map(b -> (int) b[0]).orElse(0) + 1;
        assertTrue(context.saveMetadata(new byte[] {(byte) starts}));
      }
    }) {};
  }

  @Test
  void pluginMetadataComesBackAfterARestartAndASnapshot() {
    AtomicReference<Optional<byte[]>> seen = new AtomicReference<>();
    WarpOptions o = WarpOptions.builder().dataDirectory(dir).addPlugin(counter(seen))
        .property("wal.snapshotInterval", "1").build();
    for (int run = 1; run <= 3; run++) {
      try (WarpEngine e = Warp.open(o)) {
        e.put("k", b("v" + run));
        assertEquals(run == 1 ? Optional.empty() : Optional.of(run - 1),
            seen.get().map(p -> (int) p[0]), "run " + run);
      }
    }
  }

  /**
   * 64 writers in ALWAYS mode over small segments, so that rounds of group commit race with
   * rolls: every put returns (a lost wake-up would hang here), the fsyncs are shared, and
   * every acknowledged put is there after a reopen.
   */
  @Test
  void concurrentAlwaysWritersShareFsyncsAcrossRolls() throws Exception {
    WarpOptions o = WarpOptions.builder().dataDirectory(dir).syncPolicy(SyncPolicy.ALWAYS)
        .property("wal.segmentBytes", "65536").build();
    int threads = 64;
    int each = 200;
    try (WarpEngine e = Warp.open(o)) {
      List<Thread> writers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int id = t;
        writers.add(Thread.ofPlatform().start(() -> {
          for (int i = 0; i < each; i++) {
            e.put("w" + id + "-" + i, b("v" + id + "-" + i));
          }
        }));
      }
      for (Thread w : writers) {
        w.join();
      }
      Map<String, Number> journal = e.metrics().pluginMetrics().get("journal");
      assertEquals((long) threads * each, journal.get("appends"));
      assertTrue(journal.get("syncs").longValue() < threads * each,
          "group commit: fewer fsyncs than acknowledged puts: " + journal);
    }
    try (WarpEngine again = Warp.open(o)) {
      assertEquals(threads * each, again.size());
      for (int t = 0; t < threads; t++) {
        for (int i = 0; i < each; i++) {
          assertArrayEquals(b("v" + t + "-" + i), again.get("w" + t + "-" + i), "w" + t + "-" + i);
        }
      }
    }
  }
}
