package io.warpengine.example.halflife.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warpengine.Warp;
import io.warpengine.WarpOptions;
import io.warpengine.api.SyncPolicy;
import io.warpengine.api.WarpEngine;
import io.warpengine.example.halflife.HalfLife;
import io.warpengine.spi.NamedPluginProvider;
import io.warpengine.spi.PhysicsPlugin;
import io.warpengine.testkit.Concurrently;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Writers race the sweep on 64 shared keys while the clock runs fast (a quarter TTL per sweep),
 * so expiries and writes of the same key meet all the time. Writers record each put's clock
 * when called and when returned; an observer plugin records each expiry's key and clock (the
 * clock stands still during a sweep and moves only before one). The plugin's promise, checked
 * afterwards: no expiry by a sweep that began after a put of the key returned (its clock is
 * later than the put's return) comes less than one TTL after that put was called. A sweep
 * acting on a stale deadline, or a delete not atomic with its condition, breaks it. In memory
 * (the map's compute) and durable (the stripe lock): two code paths in the engine.
 */
class HalfLifeConcurrencyTest {

  private static final long TTL_NANOS = 1_000_000_000L;
  /**
   * 64 keys and a sweep (a quarter TTL) every 25 puts: a key goes unwritten for a TTL (100 puts)
   * about a fifth of the time, so many keys expire and many are rewritten just in time.
   */
  private static final int KEYS = 64;
  private static final int PUTS_PER_SWEEP = 25;

  @TempDir
  Path dir;

  private record Put(String key, long called, long returned) {}

  private record Expiry(String key, long clock) {}

  @ParameterizedTest(name = "durable={0} seed={1}")
  @CsvSource({"false, 1", "false, 2", "true, 3"})
  void noExpiryComesWithinATtlOfAPutThatHadReturned(boolean durable, long seed) throws Exception {
    ManualTicker ticker = new ManualTicker(1_700_000_000_000L);
    ConcurrentLinkedQueue<Expiry> expiries = new ConcurrentLinkedQueue<>();
    PhysicsPlugin observer = new PhysicsPlugin() {
      @Override
      public void onDelete(String key, int shard) {
        expiries.add(new Expiry(key, ticker.nanos())); // no caller deletes: every delete is an expiry
      }
    };
    WarpOptions.Builder options = WarpOptions.builder().discoverPlugins(false).shards(4)
        .property("half-life.ttl", "PT1S").property("half-life.interval", "PT1H")
        .addPlugin(new NamedPluginProvider("half-life", ctx -> new HalfLifePlugin(ctx, ticker)) {})
        .addPlugin(new NamedPluginProvider("observer", ctx -> observer) {});
    if (durable) {
      options.dataDirectory(dir).syncPolicy(SyncPolicy.NONE);
    }
    int opsPerWriter = durable ? 5_000 : 20_000;
    try (WarpEngine engine = Warp.open(options.build())) {
      HalfLife halfLife = engine.plugin(HalfLife.class).orElseThrow();
      AtomicBoolean done = new AtomicBoolean();
      LongAdder written = new LongAdder();
      AtomicLong sweeps = new AtomicLong();
      AtomicLong sweptAt = new AtomicLong(); // the puts written when the last sweep began
      Thread sweeper = Thread.ofPlatform().start(() -> {
        while (!done.get()) {
          long now = written.sum();
          if (now - sweptAt.get() < PUTS_PER_SWEEP) {
            Thread.yield();
            continue;
          }
          sweptAt.set(now);
          ticker.advanceMillis(250);
          halfLife.sweep();
          sweeps.incrementAndGet();
        }
      });
      List<Put> puts;
      try {
        puts = Concurrently.run(6, thread -> {
          SplittableRandom random = new SplittableRandom(seed * 100 + thread);
          List<Put> mine = new ArrayList<>(opsPerWriter);
          for (int i = 0; i < opsPerWriter; i++) {
            while (written.sum() - sweptAt.get() > 2 * PUTS_PER_SWEEP) {
              Thread.yield(); // let the sweeper keep up: the two must interleave
            }
            String key = "k" + random.nextInt(KEYS);
            long called = ticker.nanos();
            engine.put(key, new byte[] {(byte) thread});
            mine.add(new Put(key, called, ticker.nanos()));
            written.increment();
          }
          return mine;
        });
      } finally {
        done.set(true);
        sweeper.join();
      }
      System.out.printf("half-life race: %d puts, %d sweeps, %d expiries%n", puts.size(), sweeps.get(), expiries.size());
      assertEquals(List.of(), violations(puts, List.copyOf(expiries)));
      assertTrue(expiries.size() > 50, "the race was not exercised: " + expiries.size()
          + " expiries in " + sweeps.get() + " sweeps and " + puts.size() + " puts");
      ticker.advanceMillis(1_000);
      halfLife.sweep();
      assertEquals(0, engine.size(), "every key expires once the writes stop");
      Map<String, Number> m = engine.metrics().pluginMetrics().get("half-life");
      assertEquals(0, m.get("tracked"));
      assertEquals(0L, m.get("hookFailures"));
      assertEquals((long) expiries.size(), m.get("expired"));
    }
  }

  /** Each expiry that came less than a TTL after a put that had returned before its sweep began. */
  private static List<String> violations(List<Put> puts, List<Expiry> expiries) {
    Map<String, List<Put>> byKey = puts.stream().collect(Collectors.groupingBy(Put::key));
    List<String> out = new ArrayList<>();
    for (Expiry e : expiries) {
      byKey.getOrDefault(e.key(), List.of()).stream()
          .filter(p -> p.returned() < e.clock())
          .max(Comparator.comparingLong(Put::called))
          .filter(p -> e.clock() - p.called() < TTL_NANOS)
          .ifPresent(p -> out.add(e + " only " + (e.clock() - p.called()) / 1_000_000
              + " ms after " + p));
    }
    return out;
  }
}
