package io.warpengine.physics.gravity.internal;

import static io.warpengine.physics.gravity.internal.GravityTesting.centresHomedOn;
import static io.warpengine.physics.gravity.internal.GravityTesting.entries;
import static io.warpengine.physics.gravity.internal.GravityTesting.gravity;
import static io.warpengine.physics.gravity.internal.GravityTesting.open;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warpengine.Warp;
import io.warpengine.WarpOptions;
import io.warpengine.api.PutOptions;
import io.warpengine.api.Priority;
import io.warpengine.api.WarpEngine;
import io.warpengine.physics.gravity.Gravity;
import io.warpengine.spi.NamedPluginProvider;
import io.warpengine.spi.PhysicsPlugin;
import io.warpengine.spi.Rebalancer;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GravityPluginTest {

  @TempDir
  Path dir;

  /** The shards holding at least one entry. */
  private static List<Integer> occupied(WarpEngine engine) {
    long[] e = entries(engine);
    return java.util.stream.IntStream.range(0, e.length).filter(i -> e[i] > 0).boxed().toList();
  }

  @Test
  void keysWithOneTagShareOneShardAndAPutAllTouchesOnlyIt() {
    try (WarpEngine engine = open(null, 16)) {
      Map<String, byte[]> batch = new LinkedHashMap<>();
      for (int i = 0; i < 40; i++) {
        batch.put("user:{42}:field" + i, ("v" + i).getBytes(UTF_8));
      }
      engine.putAll(batch, PutOptions.DEFAULT);
      assertEquals(List.of(gravity(engine).shardOfCentre("42")), occupied(engine));
      assertEquals(40, LongStream.of(entries(engine)).sum());
    }
  }

  @Test
  void aRuleCoLocatesKeysThatShareAnId() {
    try (WarpEngine engine = open(null, 16, "gravity.rules", "*:{id}")) {
      for (String k : List.of("user:42", "profile:42", "settings:42")) {
        engine.put(k, k.getBytes(UTF_8));
      }
      assertEquals(List.of(gravity(engine).shardOfCentre("42")), occupied(engine));
      assertEquals("42", gravity(engine).centreOf("settings:42"));
    }
  }

  @Test
  void movingACentreMovesEveryKeyAndTheRoute() {
    try (WarpEngine engine = open(null, 8)) {
      Gravity g = gravity(engine);
      String c = centresHomedOn(g, 2, 1).getFirst();
      for (int i = 0; i < 10; i++) {
        engine.put("{" + c + "}:" + i, new byte[] {(byte) i});
      }
      assertEquals(10, g.moveCentre(c, 5));
      assertEquals(Map.of(c, 5), g.wormholes());
      assertEquals(List.of(5), occupied(engine));
      for (int i = 0; i < 10; i++) {
        assertArrayEquals(new byte[] {(byte) i}, engine.get("{" + c + "}:" + i));
      }
      engine.put("{" + c + "}:new", new byte[1]);
      assertEquals(List.of(5), occupied(engine), "a new key of the centre follows the wormhole");
      assertEquals(0, g.moveCentre(c, 5), "already there");
      assertEquals(11, g.moveCentre(c, 2), "back home");
      assertEquals(Map.of(), g.wormholes(), "moving home closes the wormhole");
      assertEquals(List.of(2), occupied(engine));
      Map<String, Number> m = engine.metrics().pluginMetrics().get("gravity");
      assertEquals(2L, m.get("centresMoved"));
      assertEquals(21L, m.get("keysMoved"));
      assertEquals(0, m.get("openWormholes"));
    }
  }

  @Test
  void badInputIsRejectedAndChangesNothing() {
    try (WarpEngine engine = open(null, 8)) {
      Gravity g = gravity(engine);
      engine.put("{x}:1", new byte[1]);
      List<Integer> before = occupied(engine);
      assertTrue(assertThrows(IllegalArgumentException.class, () -> g.moveCentre("x", 8))
          .getMessage().contains("[0, 8)"));
      assertThrows(IllegalArgumentException.class, () -> g.moveCentre("x", -1));
      assertThrows(IllegalArgumentException.class, () -> g.moveCentre("", 1));
      assertThrows(IllegalArgumentException.class, () -> g.moveCentre(null, 1));
      assertThrows(IllegalArgumentException.class, () -> g.centreOf(""));
      assertEquals(before, occupied(engine));
      assertEquals(Map.of(), g.wormholes());
      Throwable bad = assertThrows(IllegalStateException.class, () -> Warp.open(WarpOptions
          .builder().property("gravity.rules", "no-placeholder").build())).getCause();
      assertTrue(bad instanceof IllegalArgumentException && bad.getMessage().contains("no-placeholder"));
    }
  }

  @Test
  void aFullWormholeTableRefusesNewWormholesAndChangesNothing() {
    try (WarpEngine engine = open(null, 8, "gravity.maxWormholeBytes", "30")) {
      Gravity g = gravity(engine);
      String a = centresHomedOn(g, 0, 2).get(0);
      String b = centresHomedOn(g, 0, 2).get(1);
      engine.put("{" + b + "}", new byte[1]);
      g.moveCentre(a, 1); // 12 + 16 + 2 bytes
      assertThrows(IllegalStateException.class, () -> g.moveCentre(b, 1));
      assertEquals(Map.of(a, 1), g.wormholes());
      assertEquals(List.of(0), occupied(engine));
    }
  }

  @Test
  void rebalancingMovesHeavyCentresOffTheHeaviestShard() {
    try (WarpEngine engine = open(null, 4)) {
      Gravity g = gravity(engine);
      List<String> hot = centresHomedOn(g, 0, 8);
      for (String c : hot) {
        engine.put("{" + c + "}", new byte[8], PutOptions.of(Priority.HIGH));
      }
      for (int round = 0; round < 40; round++) {
        for (String c : hot) {
          engine.get("{" + c + "}");
        }
        g.shardMass(); // drains the samples before a stripe of the lossy buffer fills
      }
      double[] mass = g.shardMass();
      assertTrue(mass[0] > 0 && mass[1] == 0 && mass[2] == 0 && mass[3] == 0, "all load on shard 0");
      Rebalancer.RebalanceReport report = g.rebalance("test");
      assertTrue(report.moved() >= 3, "moved " + report.moved());
      assertTrue(report.imbalanceBefore() > 1.5 && report.imbalanceAfter() < 0.3,
          report.toString());
      long onZero = hot.stream().filter(c -> g.shardOfCentre(c) == 0).count();
      assertTrue(onZero <= 3, onZero + " hot centres left on shard 0");
      for (String c : hot) {
        assertArrayEquals(new byte[8], engine.get("{" + c + "}"));
      }
      assertEquals(engine.plugin(Rebalancer.class).orElseThrow(), g, "offered as the SPI");
    }
  }

  @Test
  void wormholesSurviveARestart() {
    String moved;
    try (WarpEngine engine = open(dir, 8)) {
      Gravity g = gravity(engine);
      moved = centresHomedOn(g, 1, 1).getFirst();
      for (int i = 0; i < 5; i++) {
        engine.put("{" + moved + "}:" + i, new byte[] {(byte) i});
      }
      engine.put("other", new byte[] {9});
      g.moveCentre(moved, 6);
    }
    try (WarpEngine engine = open(dir, 8)) {
      Gravity g = gravity(engine);
      assertEquals(Map.of(moved, 6), g.wormholes());
      long[] e = entries(engine);
      assertEquals(5, e[6] - (g.shardOfCentre("other") == 6 ? 1 : 0), "recovered keys re-homed");
      for (int i = 0; i < 5; i++) {
        assertArrayEquals(new byte[] {(byte) i}, engine.get("{" + moved + "}:" + i));
      }
      assertEquals(0, g.moveCentre(moved, 6), "no move: it is there");
    }
    try (WarpEngine engine = open(dir, 4)) {
      assertEquals(Map.of(), gravity(engine).wormholes(), "other shard count: wormholes dropped");
      assertEquals(6, engine.size());
    }
  }

  /** One saved wormhole as gravity writes it for 8 shards: centre "c", of the given length field, to {@code shard}. */
  private static byte[] oneWormhole(int centreLength, int shard) {
    return ByteBuffer.allocate(29).putInt(1).putInt(8).putInt(1)
        .putInt(centreLength).put((byte) 'c').putInt(shard).putDouble(1).array();
  }

  @Test
  void aDamagedWormholeRecordFailsTheStartWithWhatIsWrong() {
    Map<String, byte[]> damaged = new LinkedHashMap<>();
    damaged.put("it ends early", Arrays.copyOf(oneWormhole(1, 3), 20));
    damaged.put("impossible centre length -5", oneWormhole(-5, 3));
    damaged.put("impossible centre length 1000", oneWormhole(1_000, 3));
    damaged.put("impossible wormhole count -1", ByteBuffer.allocate(12).putInt(1).putInt(8).putInt(-1).array());
    damaged.put("centre 'c' goes to shard 8, outside [0, 8)", oneWormhole(1, 8));
    damaged.put("centre 'c' goes to shard -1, outside [0, 8)", oneWormhole(1, -1));
    damaged.put("4 bytes after the last wormhole", ByteBuffer.allocate(33).put(oneWormhole(1, 3)).array());
    int n = 0;
    for (Map.Entry<String, byte[]> e : damaged.entrySet()) {
      Path data = dir.resolve("case" + n++);
      byte[] record = e.getValue();
      Warp.open(WarpOptions.builder().shards(8).dataDirectory(data).discoverPlugins(false)
          .addPlugin(new NamedPluginProvider("gravity", ctx -> new PhysicsPlugin() {
            @Override
            public void start() {
              ctx.saveMetadata(record);
            }
          }) {}).build()).close();
      IllegalStateException failure = assertThrows(IllegalStateException.class, () -> open(data, 8));
      assertTrue(failure.getMessage().contains("gravity cannot read its saved wormholes ("
          + e.getKey() + "): the journal's metadata record of the gravity plugin is damaged"),
          failure.getMessage());
    }
  }
}
