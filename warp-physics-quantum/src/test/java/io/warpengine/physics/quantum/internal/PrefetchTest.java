package io.warpengine.physics.quantum.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warpengine.Warp;
import io.warpengine.WarpOptions;
import io.warpengine.api.ShardMetrics;
import io.warpengine.api.SyncPolicy;
import io.warpengine.api.WarpEngine;
import io.warpengine.physics.quantum.Entanglement;
import io.warpengine.spi.ShardView;
import io.warpengine.testkit.ShardViewProbe;
import io.warpengine.testkit.Concurrently;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A read from beyond the horizon prefetches the key's partners, and the score is kept. */
class PrefetchTest {

  @TempDir
  Path dir;

  private static int index(String key) {
    return Integer.parseInt(key.substring(2));
  }

  @Test
  void aColdReadBringsItsPartnersInsideAndTheirUseIsCounted() {
    ShardViewProbe viewer = new ShardViewProbe();
    WarpOptions o = WarpOptions.builder().dataDirectory(dir).syncPolicy(SyncPolicy.NONE)
        .property("cache.maxEntries", "1000").property("quantum.rules", "a:{id}, b:{id}, c:{id},"
            + " d:{id}").property("quantum.learnInterval", "PT1H").addPlugin(viewer).build();
    try (WarpEngine engine = Warp.open(o)) {
      for (int g = 0; g < 2000; g++) {
        for (String t : List.of("a", "b", "c", "d")) {
          engine.put(t + ":" + g, new byte[] {(byte) g});
        }
      }
      QuantumPlugin q = (QuantumPlugin) engine.plugin(Entanglement.class).orElseThrow();
      ShardView v = viewer.view();
      // Which values the horizon pushed out depends on its policy's order of victims: take a
      // group it pushed out whole (a value beyond the horizon stays there until read).
      List<String> tags = List.of("a", "b", "c", "d");
      int g = IntStream.range(0, 2000)
          .filter(i -> tags.stream().noneMatch(t -> v.resident(t + ":" + i)))
          .findFirst().orElseThrow(() -> new AssertionError("no group is beyond the horizon"));
      engine.get("a:" + g);
      q.prefetchNow();
      assertEquals(3L, q.metrics().get("prefetches"));
      assertTrue(v.resident("b:" + g) && v.resident("c:" + g), "partners brought inside");
      long diskLoads = engine.metrics().diskLoads();
      engine.get("b:" + g);
      assertEquals(diskLoads, engine.metrics().diskLoads(), "b was read from the heap");
      assertEquals(1L, q.metrics().get("prefetchUsed"));

      // Other keys push d out before anyone reads it. The horizon admits a newcomer only if it
      // is warmer than the entry it would push out (its frequency sketch, whose small counters
      // collide, may give d a few counts of others), so each is written eight times; and its
      // victims come as its CLOCK hand finds them, so d may survive a sweep or two.
      for (int other = 0; v.resident("d:" + g) && other < 20_000; other++) {
        for (int w = 0; w < 8; w++) {
          engine.put("x:" + other, new byte[] {(byte) w});
        }
      }
      assertFalse(v.resident("d:" + g), "d left the heap");
      engine.get("d:" + g);
      assertEquals(1L, q.metrics().get("prefetchLeftUnused"));
      assertAccounted(q.metrics());
    }
  }

  /**
   * Readers, loaders and deleters race with two drainers over 64 keys. Whatever interleaving,
   * every tracked prefetch ends exactly one way: used, left unused, deleted, or still pending.
   */
  @Test
  void concurrentReadsLoadsDeletesAndDrainsLoseNoOutcome() throws Exception {
    for (long seed = 1; seed <= 3; seed++) {
      FakeView fake = new FakeView();
      Prefetcher p = new Prefetcher(fake, key -> List.of("k:" + (index(key) + 1) % 64,
          "k:" + (index(key) + 7) % 64));
      AtomicBoolean stop = new AtomicBoolean();
      long runSeed = seed;
      List<Long> work = Concurrently.run(6, thread -> {
        SplittableRandom random = new SplittableRandom(runSeed * 10 + thread);
        long ops = 0;
        if (thread < 2) {
          while (!stop.get()) {
            p.drain();
            ops++;
          }
          p.drain();
          return List.of(ops);
        }
        for (int i = 0; i < 200_000; i++) {
          String key = "k:" + random.nextInt(64);
          switch (random.nextInt(10)) {
            case 0 -> p.loaded(key);
            case 1 -> p.deleted(key);
            default -> p.read(key);
          }
        }
        if (thread == 5) {
          stop.set(true);
        }
        return List.of((long) 200_000);
      });
      stop.set(true);
      p.drain();
      Map<String, Number> m = p.metrics();
      assertEquals(p.pendingKeys(), m.get("prefetchPending").longValue(),
          "the pending count matches the pending set");
      assertEquals(fake.prefetched.sum(), m.get("prefetches").longValue(), "every prefetch counted");
      assertTrue(m.get("prefetchUsed").longValue() > 0 && m.get("prefetchDeleted").longValue() > 0
          && m.get("prefetchLeftUnused").longValue() > 0, "every outcome happened: " + m);
      assertAccounted(m);
      assertEquals(6, work.size());
    }
  }

  private static void assertAccounted(Map<String, Number> m) {
    long outcomes = 0;
    for (String k : List.of("prefetchUsed", "prefetchLeftUnused", "prefetchDeleted",
        "prefetchPending", "prefetchUntracked")) {
      outcomes += m.get(k).longValue();
    }
    assertEquals(m.get("prefetches").longValue(), outcomes, "every prefetch ends one way: " + m);
  }

  /** A view whose every key is beyond the horizon, and comes back there when deleted and put again. */
  private static final class FakeView implements ShardView {
    final LongAdder prefetched = new LongAdder();

    @Override
    public boolean prefetch(String key) {
      prefetched.increment();
      return true;
    }

    @Override
    public int shardCount() {
      return 1;
    }

    @Override
    public ShardMetrics metrics(int shard) {
      throw new UnsupportedOperationException();
    }

    @Override
    public int shardOf(String key) {
      return 0;
    }

    @Override
    public boolean contains(String key) {
      return true;
    }

    @Override
    public boolean resident(String key) {
      return false;
    }

    @Override
    public byte[] peek(String key) {
      return null;
    }

    @Override
    public void forEach(int shard, BiConsumer<String, byte[]> visitor) {}
  }
}
