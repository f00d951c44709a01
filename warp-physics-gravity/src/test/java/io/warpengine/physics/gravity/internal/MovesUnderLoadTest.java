package io.warpengine.physics.gravity.internal;

import static io.warpengine.physics.gravity.internal.GravityTesting.entries;
import static io.warpengine.physics.gravity.internal.GravityTesting.gravity;
import static io.warpengine.physics.gravity.internal.GravityTesting.open;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warpengine.api.MetricsSnapshot;
import io.warpengine.api.WarpEngine;
import io.warpengine.physics.gravity.Gravity;
import io.warpengine.testkit.Concurrently;
import io.warpengine.testkit.MixedWorkload;
import io.warpengine.testkit.RegisterModel;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Centres move between shards without pause while callers use their keys; afterwards every
 * key's history must be linearizable, no increment may be lost, and no key may be in two shards
 * (the shards' entry counts add up to the engine's size).
 */
class MovesUnderLoadTest {

  @TempDir
  Path dir;

  /** Moves random centres to random shards until told to stop; returns how many it made. */
  private static Thread mover(Gravity g, List<String> centres, int shards, long seed,
                              AtomicBoolean stop, AtomicLong moves) {
    Thread t = new Thread(() -> {
      SplittableRandom rnd = new SplittableRandom(seed);
      while (!stop.get()) {
        g.moveCentre(centres.get(rnd.nextInt(centres.size())), rnd.nextInt(shards));
        moves.incrementAndGet();
      }
    }, "centre-mover");
    t.start();
    return t;
  }

  /**
   * {@link MixedWorkload}: 6 threads run every operation on 24 keys, each its own centre, while
   * a seventh moves them; each key's history is checked against a register.
   */
  @ParameterizedTest(name = "durable={0} seed={1}")
  @CsvSource({"false, 31", "false, 32", "true, 33"})
  void everyOperationStaysLinearizableWhileCentresMove(boolean durable, long seed) throws Exception {
    MixedWorkload workload = new MixedWorkload(6, 20_000, 24, seed);
    List<String> centres = new ArrayList<>();
    for (int k = 0; k < 24; k++) {
      centres.add("key-" + k);
    }
    try (WarpEngine engine = open(durable ? dir : null, 8)) {
      AtomicBoolean stop = new AtomicBoolean();
      AtomicLong moves = new AtomicLong();
      Thread mover = mover(gravity(engine), centres, 8, seed, stop, moves);
      MixedWorkload.History history;
      try {
        history = workload.run(engine, () -> { });
      } finally {
        stop.set(true);
        mover.join();
      }
      MetricsSnapshot m = engine.metrics();
      assertTrue(moves.get() > 100, "only " + moves.get() + " moves overlapped the workload");
      assertEquals(List.of(), history.violations(RegisterModel.MODEL), "non-linearizable keys");
      assertEquals(history.expectedCounts(), MixedWorkload.Counts.of(m));
      assertEquals(history.finalEntries(), m.entries(), "entries");
      assertEquals(history.finalBytes(), m.bytes(), "bytes");
      assertEquals(engine.size(), LongStream.of(entries(engine)).sum(), "a key in two shards");
    }
  }

  /**
   * 8 centres of 8 keys each; 4 threads increment random keys with compare-and-set loops while
   * centres move (each key's final value must equal its successful increments: no lost
   * update), and every read must find the key (none misses) with a value no smaller than the
   * same thread saw before.
   */
  @ParameterizedTest(name = "seed={0}")
  @CsvSource({"41", "42"})
  void noIncrementIsLostAndNoReadMissesWhileMultiKeyCentresMove(long seed) throws Exception {
    int centresN = 8;
    int keysPer = 8;
    List<String> centres = new ArrayList<>();
    List<String> keys = new ArrayList<>();
    try (WarpEngine engine = open(null, 4)) {
      for (int c = 0; c < centresN; c++) {
        centres.add("c" + c);
        for (int k = 0; k < keysPer; k++) {
          keys.add("{c" + c + "}:" + k);
          engine.put(keys.getLast(), counter(0));
        }
      }
      AtomicBoolean stop = new AtomicBoolean();
      AtomicLong moves = new AtomicLong();
      Thread mover = mover(gravity(engine), centres, 4, seed, stop, moves);
      List<long[]> perThread;
      try {
        perThread = Concurrently.run(4, thread -> {
          SplittableRandom rnd = new SplittableRandom(seed * 100 + thread);
          long[] done = new long[keys.size()];
          long[] seen = new long[keys.size()];
          for (int i = 0; i < 40_000; i++) {
            int k = rnd.nextInt(keys.size());
            byte[] now = engine.get(keys.get(k));
            if (now == null) {
              throw new AssertionError("read missed " + keys.get(k));
            }
            long v = ByteBuffer.wrap(now).getLong();
            if (v < seen[k]) {
              throw new AssertionError(keys.get(k) + " went back from " + seen[k] + " to " + v);
            }
            seen[k] = v;
            if (rnd.nextBoolean() && engine.replace(keys.get(k), now, counter(v + 1))) {
              done[k]++;
              seen[k] = v + 1;
            }
          }
          return List.of(done);
        });
      } finally {
        stop.set(true);
        mover.join();
      }
      assertTrue(moves.get() > 100, "only " + moves.get() + " moves overlapped the workload");
      for (int k = 0; k < keys.size(); k++) {
        int key = k;
        long expected = perThread.stream().mapToLong(d -> d[key]).sum();
        assertEquals(expected, ByteBuffer.wrap(engine.get(keys.get(k))).getLong(), keys.get(k));
      }
      assertEquals(keys.size(), engine.size());
      assertEquals(keys.size(), LongStream.of(entries(engine)).sum(), "a key in two shards");
      long[] expectedPerShard = new long[4];
      for (String c : centres) {
        expectedPerShard[gravity(engine).shardOfCentre(c)] += keysPer;
      }
      assertArrayEquals(expectedPerShard, entries(engine), "every key where its centre routes");
    }
  }

  private static byte[] counter(long v) {
    return ByteBuffer.allocate(8).putLong(v).array();
  }
}
