package io.warpengine.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warpengine.Warp;
import io.warpengine.WarpOptions;
import io.warpengine.api.ShardMetrics;
import io.warpengine.api.WarpEngine;
import io.warpengine.spi.KeyMover;
import io.warpengine.spi.NamedPluginProvider;
import io.warpengine.spi.PhysicsPlugin;
import io.warpengine.spi.PluginContext;
import io.warpengine.spi.ShardRouter;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The engine's {@link KeyMover}, driven by a test router whose overrides are a map: offered to
 * the routing plugin alone, rejects bad shards changing nothing, and leaves every key in the
 * shard its route names after the router's switch, whatever the switch did.
 */
class KeyMoverTest {

  /** Routes a key by its first character, unless an override says otherwise. */
  static final class MapRouter implements PhysicsPlugin, ShardRouter {
    final Map<String, Integer> overrides = new ConcurrentHashMap<>();
    final PluginContext context;

    MapRouter(PluginContext context) {
      this.context = context;
    }

    @Override
    public int route(String key) {
      return overrides.getOrDefault(key, key.charAt(0) % context.shards().shardCount());
    }
  }

  private final AtomicReference<MapRouter> router = new AtomicReference<>();
  private final AtomicReference<PluginContext> bystander = new AtomicReference<>();

  private WarpEngine open() {
    return Warp.open(WarpOptions.builder().discoverPlugins(false).shards(4)
        .addPlugin(new NamedPluginProvider("router", c -> {
          MapRouter r = new MapRouter(c);
          router.set(r);
          return r;
        }) { })
        .addPlugin(new NamedPluginProvider("bystander", c -> {
          bystander.set(c);
          return new PhysicsPlugin() { };
        }) { })
        .build());
  }

  private static long[] entries(WarpEngine engine) {
    return engine.metrics().shardMetrics().stream().mapToLong(ShardMetrics::entries).toArray();
  }

  @Test
  void onlyTheRoutingPluginGetsTheMover() {
    try (WarpEngine engine = open()) {
      assertTrue(router.get().context.keyMover().isPresent());
      assertEquals(Optional.empty(), bystander.get().keyMover());
    }
  }

  @Test
  void aMoveTakesTheAcceptedKeysWithTheRoute() {
    try (WarpEngine engine = open()) {
      engine.put("a1", new byte[] {1}); // 'a' = 97: shard 1
      engine.put("a2", new byte[] {2});
      engine.put("a3", new byte[] {3});
      KeyMover mover = router.get().context.keyMover().orElseThrow();
      long moved = mover.move(k -> !k.equals("a3"), 1, 3, () -> {
        router.get().overrides.put("a1", 3);
        router.get().overrides.put("a2", 3);
      });
      assertEquals(2, moved);
      assertArrayEquals(new long[] {0, 1, 0, 2}, entries(engine));
      assertArrayEquals(new byte[] {1}, engine.get("a1"));
      assertArrayEquals(new byte[] {3}, engine.get("a3"));
      assertEquals(3, engine.size());
    }
  }

  @Test
  void keysGoWhereTheSwitchRoutesThemEvenIfNotToTheTarget() {
    try (WarpEngine engine = open()) {
      engine.put("a1", new byte[] {1});
      engine.put("a2", new byte[] {2});
      KeyMover mover = router.get().context.keyMover().orElseThrow();
      long moved = mover.move(k -> true, 1, 3, () -> router.get().overrides.put("a2", 2));
      assertEquals(1, moved, "a1 still routes to 1, so it stays");
      assertArrayEquals(new long[] {0, 1, 1, 0}, entries(engine));
      assertArrayEquals(new byte[] {2}, engine.get("a2"));
    }
  }

  @Test
  void badShardsAndAKeyInTwoShardsAreRejectedAndChangeNothing() {
    try (WarpEngine engine = open()) {
      engine.put("a1", new byte[] {1});
      KeyMover mover = router.get().context.keyMover().orElseThrow();
      Runnable fail = () -> {
        throw new AssertionError("the switch must not run");
      };
      assertTrue(assertThrows(IllegalArgumentException.class, () -> mover.move(k -> true, 1, 4,
          fail)).getMessage().contains("[0, 4)"));
      assertThrows(IllegalArgumentException.class, () -> mover.move(k -> true, -1, 2, fail));
      assertThrows(IllegalArgumentException.class, () -> mover.move(k -> true, 2, 2, fail));
      // A route changed outside a move leaves "a1" written in shard 3 as well as in shard 1.
      router.get().overrides.put("a1", 3);
      engine.put("a1", new byte[] {9});
      router.get().overrides.remove("a1");
      assertThrows(IllegalStateException.class, () -> mover.move(k -> true, 1, 3, fail));
      assertArrayEquals(new long[] {0, 1, 0, 1}, entries(engine));
      assertArrayEquals(new byte[] {1}, engine.get("a1"));
    }
  }
}
