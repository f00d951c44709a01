package io.warpengine.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warpengine.api.Priority;
import io.warpengine.api.PutOptions;
import io.warpengine.Warp;
import io.warpengine.api.WarpEngine;
import io.warpengine.WarpOptions;
import io.warpengine.spi.PhysicsPlugin;
import io.warpengine.spi.PhysicsPluginProvider;
import io.warpengine.spi.PluginContext;
import io.warpengine.spi.Rebalancer;
import io.warpengine.spi.ShardRouter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Plugin discovery, lifecycle order, hooks, capabilities, configuration and failures. */
class PluginHostTest {

  private final List<String> events = Collections.synchronizedList(new ArrayList<>());

  /** A provider built from a name and a factory, for tests. */
  private record Provider(String name, Function<PluginContext, PhysicsPlugin> factory)
      implements PhysicsPluginProvider {
    @Override
    public PhysicsPlugin create(PluginContext context) {
      return factory.apply(context);
    }
  }

  /** Records its lifecycle and hook calls in {@link #events}. */
  private final class Recorder implements PhysicsPlugin {
    final String name;
    final AtomicInteger puts = new AtomicInteger();
    final AtomicInteger gets = new AtomicInteger();
    final AtomicInteger deletes = new AtomicInteger();

    Recorder(String name) {
      this.name = name;
      events.add("create " + name);
    }

    @Override public void start() {
      events.add("start " + name);
    }

    @Override public void onPut(String key, int shard, int valueBytes, PutOptions options) {
      puts.incrementAndGet();
      events.add("put " + name + " " + key + " " + valueBytes + " " + options.priority());
    }

    @Override public void onGet(String key, int shard, boolean hit) {
      gets.incrementAndGet();
    }

    @Override public void onDelete(String key, int shard) {
      deletes.incrementAndGet();
    }

    @Override public Map<String, Number> metrics() {
      return Map.of("puts", puts.get());
    }

    @Override public void close() {
      events.add("close " + name);
    }
  }

  private Provider recorder(String name) {
    return new Provider(name, ctx -> new Recorder(name));
  }

  @Test
  void pluginsAreCreatedThenStartedInOrderAndClosedInReverse() {
    WarpEngine engine = Warp.open(WarpOptions.builder()
        .addPlugin(recorder("b")).addPlugin(recorder("a")).build());
    assertEquals(List.of("b", "a"), engine.pluginNames());
    engine.close();
    assertEquals(List.of("create b", "create a", "start b", "start a", "close a", "close b"), events);
  }

  @Test
  void hooksSeeEveryOperationAfterItTookEffect() {
    Recorder[] made = new Recorder[1];
    try (WarpEngine engine = Warp.open(WarpOptions.builder()
        .addPlugin(new Provider("rec", ctx -> made[0] = new Recorder("rec"))).build())) {
      engine.put("k", new byte[3], PutOptions.of(Priority.CRITICAL));
      engine.putIfAbsent("k", new byte[1]);          // not stored: no hook
      engine.putAll(Map.of("x", new byte[1], "y", new byte[2]));
      engine.replace("k", new byte[3], new byte[5]);
      engine.get("k");
      engine.get("missing");
      engine.contains("x");
      engine.getAll(List.of("x", "y"));
      engine.delete("x");
      engine.delete("x");                            // nothing removed: no hook
      assertEquals(4, made[0].puts.get());
      assertEquals(5, made[0].gets.get());
      assertEquals(1, made[0].deletes.get());
      assertTrue(events.contains("put rec k 3 CRITICAL"), events.toString());
      assertEquals(4, engine.metrics().pluginMetrics().get("rec").get("puts"));
    }
  }

  @Test
  void aThrowingHookIsCountedAndNeverReachesTheCaller() {
    PhysicsPlugin faulty = new PhysicsPlugin() {
      @Override public void onPut(String key, int shard, int valueBytes, PutOptions options) {
        throw new IllegalStateException("boom");
      }
    };
    try (WarpEngine engine = Warp.open(WarpOptions.builder()
        .addPlugin(new Provider("faulty", ctx -> faulty)).build())) {
      engine.put("a", new byte[1]);
      engine.put("b", new byte[1]);
      assertEquals(2, engine.size());
      assertEquals(2L, engine.metrics().pluginMetrics().get("faulty").get("hookFailures"));
    }
  }

  /** One plugin reading along or several: a throwing read hook is counted, the read goes on. */
  @Test
  void aThrowingReadHookIsCountedAndTheOtherPluginsStillSeeTheRead() {
    PhysicsPlugin faulty = new PhysicsPlugin() {
      @Override public void onGet(String key, int shard, boolean hit) {
        throw new IllegalStateException("boom");
      }
    };
    AtomicInteger seen = new AtomicInteger();
    PhysicsPlugin counting = new PhysicsPlugin() {
      @Override public void onGet(String key, int shard, boolean hit) {
        seen.incrementAndGet();
      }
    };
    try (WarpEngine alone = Warp.open(WarpOptions.builder()
        .addPlugin(new Provider("faulty", ctx -> faulty)).build())) {
      alone.put("a", new byte[] {7});
      assertArrayEquals(new byte[] {7}, alone.get("a"));
      assertEquals(null, alone.get("b"));
      assertEquals(2L, alone.metrics().pluginMetrics().get("faulty").get("hookFailures"));
    }
    try (WarpEngine both = Warp.open(WarpOptions.builder()
        .addPlugin(new Provider("faulty", ctx -> faulty))
        .addPlugin(new Provider("counting", ctx -> counting)).build())) {
      both.put("a", new byte[] {7});
      assertArrayEquals(new byte[] {7}, both.get("a"));
      assertEquals(1L, both.metrics().pluginMetrics().get("faulty").get("hookFailures"));
      assertEquals(1, seen.get());
    }
  }

  @Test
  void aPluginThatFailsToStartFailsOpenByNameAndTheStartedOnesAreClosed() {
    Provider broken = new Provider("broken", ctx -> new PhysicsPlugin() {
      @Override public void start() {
        throw new IllegalArgumentException("bad setting");
      }
    });
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> Warp.open(
        WarpOptions.builder().addPlugin(recorder("good")).addPlugin(broken).build()));
    assertTrue(e.getMessage().contains("'broken' failed to start"), e.getMessage());
    assertTrue(e.getMessage().contains("bad setting"), e.getMessage());
    assertEquals(List.of("create good", "start good", "close good"), events);
  }

  @Test
  void aPluginWhoseCloseThrowsAnErrorStillLetsTheOthersCloseAndTheSchedulerStop() {
    Object[] scheduler = new Object[1];
    Provider failing = new Provider("failing", ctx -> new PhysicsPlugin() {
      @Override public void start() {
        scheduler[0] = ctx.scheduler();
      }

      @Override public void close() {
        throw new NoClassDefFoundError("a class its close needed");
      }
    });
    Warp.open(WarpOptions.builder().addPlugin(recorder("first")).addPlugin(failing).build())
        .close();
    assertEquals(List.of("create first", "start first", "close first"), events);
    assertTrue(((java.util.concurrent.ExecutorService) scheduler[0]).isShutdown());
  }

  @Test
  void aPluginReportingANullFigureLosesOnlyItsOwnMetrics() {
    Map<String, Number> withNull = new java.util.HashMap<>();
    withNull.put("undefined", null);
    Provider odd = new Provider("odd", ctx -> new PhysicsPlugin() {
      @Override public Map<String, Number> metrics() {
        return withNull;
      }
    });
    try (WarpEngine engine = Warp.open(WarpOptions.builder().addPlugin(recorder("fine"))
        .addPlugin(odd).build())) {
      engine.put("k", new byte[] {1});
      Map<String, Map<String, Number>> metrics = engine.metrics().pluginMetrics();
      assertEquals(Map.of("hookFailures", 0L), metrics.get("odd"));
      assertEquals(1, metrics.get("fine").get("puts"));
    }
  }

  @Test
  void aPluginThatFailsToLoadFailsOpenByName() {
    Provider broken = new Provider("unloadable", ctx -> {
      throw new IllegalStateException("missing dependency");
    });
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> Warp.open(WarpOptions.builder().addPlugin(broken).build()));
    assertTrue(e.getMessage().contains("'unloadable' failed to load"), e.getMessage());
  }

  @Test
  void disabledPluginsAreNotLoaded() {
    try (WarpEngine engine = Warp.open(WarpOptions.builder()
        .addPlugin(recorder("keep")).addPlugin(recorder("drop")).disablePlugin("drop").build())) {
      assertEquals(List.of("keep"), engine.pluginNames());
    }
  }

  @Test
  void aPluginCannotTakeTheJournalsNameInTheMetrics() {
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> Warp.open(
        WarpOptions.builder().addPlugin(recorder("journal")).build()));
    assertTrue(e.getMessage().contains("named 'journal'"), e.getMessage());
    assertEquals(List.of(), events, "not created");
  }

  @Test
  void duplicateNamesAreRejected() {
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> Warp.open(
        WarpOptions.builder().addPlugin(recorder("twin")).addPlugin(recorder("twin")).build()));
    assertTrue(e.getMessage().contains("Two physics plugins are named 'twin'"), e.getMessage());
  }

  /** A typed user face and an SPI role, found by the engine and by other plugins. */
  interface Greeter {
    String greet();
  }

  @Test
  void capabilitiesReachUsersAndOtherPlugins() {
    class Balancer implements PhysicsPlugin, Rebalancer, Greeter {
      @Override public RebalanceReport rebalance(String reason) {
        return new RebalanceReport(3, 0.5, 0.1);
      }

      @Override public String greet() {
        return "hello";
      }
    }
    Balancer balancer = new Balancer();
    Rebalancer[] seenByOther = new Rebalancer[1];
    Provider asker = new Provider("asker", ctx -> new PhysicsPlugin() {
      @Override public void start() {
        seenByOther[0] = ctx.capability(Rebalancer.class).orElseThrow();
      }
    });
    try (WarpEngine engine = Warp.open(WarpOptions.builder()
        .addPlugin(asker).addPlugin(new Provider("balancer", ctx -> balancer)).build())) {
      assertSame(balancer, seenByOther[0]);
      assertEquals("hello", engine.plugin(Greeter.class).orElseThrow().greet());
      assertFalse(engine.plugin(Runnable.class).isPresent());
    }
  }

  @Test
  void aPluginRouterDecidesTheShard() {
    ShardRouter everythingToShard3 = key -> 3;
    class RouterPlugin implements PhysicsPlugin, ShardRouter {
      @Override public int route(String key) {
        return everythingToShard3.route(key);
      }
    }
    try (WarpEngine engine = Warp.open(WarpOptions.builder().shards(4)
        .addPlugin(new Provider("router", ctx -> new RouterPlugin())).build())) {
      for (int i = 0; i < 100; i++) {
        engine.put("k" + i, new byte[1]);
      }
      assertEquals(100, engine.metrics().shardMetrics().get(3).entries());
    }
  }

  @Test
  void twoRoutersAreRefused() {
    class RouterPlugin implements PhysicsPlugin, ShardRouter {
      @Override public int route(String key) {
        return 0;
      }
    }
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> Warp.open(
        WarpOptions.builder()
            .addPlugin(new Provider("r1", ctx -> new RouterPlugin()))
            .addPlugin(new Provider("r2", ctx -> new RouterPlugin())).build()));
    assertTrue(e.getMessage().contains("offers a ShardRouter [r1, r2]"), e.getMessage());
  }

  @Test
  void pluginsGetTheirOwnSettingsAndAReadViewAndASchedulerStoppedAtClose() throws Exception {
    CountDownLatch ran = new CountDownLatch(1);
    Object[] seen = new Object[4];
    Provider probe = new Provider("probe", ctx -> new PhysicsPlugin() {
      @Override public void start() {
        seen[0] = ctx.config().duration("interval", Duration.ZERO);
        seen[1] = ctx.config().asMap();
        seen[2] = ctx.shards().shardCount();
        ctx.scheduler().scheduleAtFixedRate(ran::countDown, 0, 1, TimeUnit.MILLISECONDS);
        seen[3] = ctx.scheduler();
      }
    });
    WarpEngine engine = Warp.open(WarpOptions.builder().shards(2)
        .property("probe.interval", "PT5S").property("other.x", "1").addPlugin(probe).build());
    engine.put("visible", new byte[] {9});
    assertTrue(ran.await(10, TimeUnit.SECONDS));
    assertEquals(Duration.ofSeconds(5), seen[0]);
    assertEquals(Map.of("interval", "PT5S"), seen[1]);
    assertEquals(2, seen[2]);
    engine.close();
    assertTrue(((java.util.concurrent.ExecutorService) seen[3]).isShutdown());
  }

  @Test
  void malformedSettingsAreNamed() {
    Provider strict = new Provider("strict", ctx -> {
      ctx.config().intValue("size", 1);
      return new PhysicsPlugin() {};
    });
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> Warp.open(
        WarpOptions.builder().property("strict.size", "lots").addPlugin(strict).build()));
    assertTrue(e.getMessage().contains("property strict.size must be an integer, was 'lots'"),
        e.getMessage());
  }

  /** A plugin that watches reads through a base class of its own. */
  private abstract static class ReadWatcher implements PhysicsPlugin {
    @Override
    public void onGet(String key, int shard, boolean hit) {}
  }

  /**
   * The engine calls each hook only on the plugins that implement it (directly or through a
   * superclass), not on those that inherit the empty default.
   */
  @Test
  void eachHookGoesOnlyToThePluginsThatImplementIt() {
    Provider reads = new Provider("reads", ctx -> new ReadWatcher() {});
    Provider writes = new Provider("writes", ctx -> new PhysicsPlugin() {
      @Override
      public void onPut(String key, int shard, int valueBytes, PutOptions options) {}
    });
    WarpOptions options = WarpOptions.builder().discoverPlugins(false).addPlugin(reads)
        .addPlugin(writes).build();
    try (PluginHost host = PluginHost.create(options, null, null)) {
      Function<PluginHost.LoadedPlugin[], List<String>> names =
          implementing -> java.util.Arrays.stream(implementing).map(p -> p.name).toList();
      assertEquals(List.of("reads"),
          names.apply(host.implementing("onGet", String.class, int.class, boolean.class)));
      assertEquals(List.of("writes"), names.apply(host.implementing("onPut", String.class,
          int.class, int.class, PutOptions.class)));
      assertEquals(List.of(), names.apply(host.implementing("onDelete", String.class, int.class)));
      assertThrows(IllegalArgumentException.class, () -> host.implementing("onNothing"));
    }
  }

  /** beforePut runs before the write's value is visible, for every kind of write; onPut after. */
  @Test
  void beforePutSeesTheOldValueAndOnPutTheNewOne() {
    io.warpengine.spi.ShardView[] view = new io.warpengine.spi.ShardView[1];
    List<String> seen = new ArrayList<>();
    Provider watcher = new Provider("watcher", ctx -> {
      view[0] = ctx.shards();
      return new PhysicsPlugin() {
        @Override
        public void beforePut(String key) {
          byte[] v = view[0].peek(key);
          seen.add("before " + key + "=" + (v == null ? "none" : v[0]));
        }

        @Override
        public void onPut(String key, int shard, int valueBytes, PutOptions o) {
          seen.add("after " + key + "=" + view[0].peek(key)[0]);
        }
      };
    });
    try (WarpEngine engine = Warp.open(WarpOptions.builder().addPlugin(watcher).build())) {
      engine.put("k", new byte[] {1});
      engine.put("k", new byte[] {2});
      engine.putIfAbsent("k", new byte[] {3}); // stores nothing: no onPut
      engine.replace("k", new byte[] {2}, new byte[] {4});
      engine.putAll(java.util.Map.of("m", new byte[] {5}));
    }
    assertEquals(List.of("before k=none", "after k=1", "before k=1", "after k=2", "before k=2",
        "before k=2", "after k=4", "before m=none", "after m=5"), seen);
  }

  @Test
  void theReadViewCountsNothing() {
    io.warpengine.spi.ShardView[] view = new io.warpengine.spi.ShardView[1];
    Provider viewer = new Provider("viewer", ctx -> {
      view[0] = ctx.shards();
      return new PhysicsPlugin() {};
    });
    try (WarpEngine engine = Warp.open(WarpOptions.builder().addPlugin(viewer).build())) {
      engine.put("k", new byte[] {1, 2});
      long readsBefore = engine.metrics().reads();
      assertEquals(2, view[0].peek("k").length);
      int shard = view[0].shardOf("k");
      List<String> keys = new ArrayList<>();
      view[0].forEach(shard, (k, v) -> keys.add(k));
      assertEquals(List.of("k"), keys);
      assertEquals(1, view[0].metrics(shard).entries());
      assertEquals(readsBefore, engine.metrics().reads());
      assertFalse(view[0] instanceof WarpEngine);
    }
  }

  @Test
  void aPluginDeletesOnlyWhatItsConditionAllowsAndTheDeleteIsCountedAndHooked() {
    PluginContext[] context = new PluginContext[1];
    Recorder recorder = new Recorder("watcher");
    Provider deleter = new Provider("deleter", ctx -> {
      context[0] = ctx;
      return new PhysicsPlugin() {};
    });
    try (WarpEngine engine = Warp.open(WarpOptions.builder().addPlugin(deleter)
        .addPlugin(new Provider("watcher", ctx -> recorder)).build())) {
      engine.put("k", new byte[] {1, 2, 3});
      AtomicInteger asked = new AtomicInteger();
      assertFalse(context[0].deleteIf("k", () -> asked.incrementAndGet() < 0));
      assertArrayEquals(new byte[] {1, 2, 3}, engine.get("k"), "a refused delete changes nothing");
      assertEquals(0, recorder.deletes.get());
      assertTrue(context[0].deleteIf("k", () -> asked.incrementAndGet() > 0));
      assertFalse(engine.contains("k"));
      assertEquals(1, recorder.deletes.get(), "other plugins see the delete");
      assertEquals(1, engine.metrics().deletes());
      assertEquals(0, engine.metrics().bytes());
      assertFalse(context[0].deleteIf("k", () -> asked.incrementAndGet() > 0));
      assertEquals(2, asked.get(), "an absent key is not asked about");
      assertThrows(IllegalArgumentException.class, () -> context[0].deleteIf("", () -> true));
    }
  }
}
