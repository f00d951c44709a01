package io.warpengine.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.warpengine.api.MetricsSnapshot;
import io.warpengine.Warp;
import io.warpengine.api.WarpEngine;
import io.warpengine.WarpOptions;
import io.warpengine.core.LinearizabilityChecker.Operation;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Many threads run a random mix of every engine operation on a small, overlapping key set; each
 * thread records what it called, what it got back and when. Afterwards, for each key, the
 * history must be linearizable against {@link RegisterModel}, every value read must be intact
 * (no torn or foreign bytes), and the engine's counters must equal the counts derived from the
 * histories — a lost counter update or a lost write fails the test.
 *
 * <p>Every written value is unique: its first 8 bytes are an id (writer thread, sequence) and
 * the rest a pattern derived from the id, with a length that varies with the id.
 */
class ConcurrentModelTest {

  private static final int THREADS = 8;
  private static final int OPS_PER_THREAD = 40_000;
  private static final int KEYS = 24;

  private record Recorded(String key, RegisterModel op, long call, long ret) {}

  @ParameterizedTest(name = "shards={0} seed={1}")
  @CsvSource({"1, 11", "1, 21", "8, 12", "8, 22", "64, 13", "64, 23"})
  void historiesAreLinearizableAndCountersExact(int shards, long seed) throws Exception {
    List<Recorded> all = new ArrayList<>();
    try (WarpEngine engine = Warp.open(WarpOptions.builder().shards(shards).build())) {
      CyclicBarrier start = new CyclicBarrier(THREADS);
      ExecutorService pool = Executors.newFixedThreadPool(THREADS);
      try {
        List<Future<List<Recorded>>> futures = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
          int thread = t;
          futures.add(pool.submit(() -> {
            start.await();
            return runWorker(engine, thread, new SplittableRandom(seed * 1_000 + thread));
          }));
        }
        for (Future<List<Recorded>> f : futures) {
          all.addAll(f.get());
        }
      } finally {
        pool.shutdownNow();
      }
      long afterAll = System.nanoTime();
      Map<String, Long> finalState = new HashMap<>();
      for (int k = 0; k < KEYS; k++) {
        String key = key(k);
        long call = System.nanoTime();
        long id = idOf(engine.get(key));
        all.add(new Recorded(key, new RegisterModel.Get(id), Math.max(call, afterAll), System.nanoTime()));
        finalState.put(key, id);
      }
      MetricsSnapshot metrics = engine.metrics();
      checkLinearizable(all);
      checkCounters(metrics, all, finalState);
    }
  }

  private static List<Recorded> runWorker(WarpEngine engine, int thread, SplittableRandom rnd) {
    List<Recorded> log = new ArrayList<>(OPS_PER_THREAD * 2);
    Map<String, Long> lastSeen = new HashMap<>();
    long nextId = ((long) (thread + 1) << 32);
    for (int i = 0; i < OPS_PER_THREAD; i++) {
      String key = key(rnd.nextInt(KEYS));
      int choice = rnd.nextInt(100);
      long call = System.nanoTime();
      if (choice < 25) {
        long id = ++nextId;
        engine.put(key, valueOf(id));
        log.add(new Recorded(key, new RegisterModel.Put(id), call, System.nanoTime()));
      } else if (choice < 50) {
        long id = idOf(engine.get(key));
        log.add(new Recorded(key, new RegisterModel.Get(id), call, System.nanoTime()));
        lastSeen.put(key, id);
      } else if (choice < 58) {
        boolean removed = engine.delete(key);
        log.add(new Recorded(key, new RegisterModel.Delete(removed), call, System.nanoTime()));
      } else if (choice < 66) {
        long id = ++nextId;
        long existing = idOf(engine.putIfAbsent(key, valueOf(id)));
        log.add(new Recorded(key, new RegisterModel.PutIfAbsent(id, existing), call, System.nanoTime()));
      } else if (choice < 78) {
        long expected = lastSeen.getOrDefault(key, RegisterModel.ABSENT);
        if (expected == RegisterModel.ABSENT) {
          continue;
        }
        long id = ++nextId;
        boolean replaced = engine.replace(key, valueOf(expected), valueOf(id));
        log.add(new Recorded(key, new RegisterModel.Replace(expected, id, replaced), call, System.nanoTime()));
      } else if (choice < 84) {
        boolean present = engine.contains(key);
        log.add(new Recorded(key, new RegisterModel.Contains(present), call, System.nanoTime()));
      } else if (choice < 92) {
        Map<String, byte[]> batch = new LinkedHashMap<>();
        Map<String, Long> ids = new LinkedHashMap<>();
        for (int j = 0; j < 3; j++) {
          String k = key(rnd.nextInt(KEYS));
          long id = ++nextId;
          batch.put(k, valueOf(id));
          ids.put(k, id);
        }
        engine.putAll(batch);
        long ret = System.nanoTime();
        ids.forEach((k, id) -> log.add(new Recorded(k, new RegisterModel.Put(id), call, ret)));
      } else {
        Set<String> keys = new LinkedHashSet<>(List.of(key, key(rnd.nextInt(KEYS)), key(rnd.nextInt(KEYS))));
        Map<String, byte[]> got = engine.getAll(keys);
        long ret = System.nanoTime();
        for (String k : keys) {
          long id = idOf(got.get(k));
          log.add(new Recorded(k, new RegisterModel.Get(id), call, ret));
          lastSeen.put(k, id);
        }
      }
    }
    return log;
  }

  private static void checkLinearizable(List<Recorded> all) {
    Map<String, List<Operation<RegisterModel>>> byKey = new HashMap<>();
    for (Recorded r : all) {
      byKey.computeIfAbsent(r.key(), k -> new ArrayList<>())
          .add(new Operation<>(r.op(), r.call(), r.ret()));
    }
    assertEquals(KEYS, byKey.size());
    byKey.forEach((key, history) -> assertTrue(
        LinearizabilityChecker.isLinearizable(history, RegisterModel.ABSENT, RegisterModel.MODEL),
        () -> "history of " + key + " (" + history.size() + " operations) is not linearizable"));
  }

  /** Every counter must equal what the recorded results imply. */
  private static void checkCounters(MetricsSnapshot m, List<Recorded> all, Map<String, Long> finalState) {
    long writes = 0;
    long deletes = 0;
    long reads = 0;
    long misses = 0;
    for (Recorded r : all) {
      switch (r.op()) {
        case RegisterModel.Put p -> writes++;
        case RegisterModel.PutIfAbsent p -> writes += p.result() == RegisterModel.ABSENT ? 1 : 0;
        case RegisterModel.Replace p -> writes += p.result() ? 1 : 0;
        case RegisterModel.Delete d -> deletes += d.result() ? 1 : 0;
        case RegisterModel.Get g -> {
          reads++;
          misses += g.result() == RegisterModel.ABSENT ? 1 : 0;
        }
        case RegisterModel.Contains c -> {
          reads++;
          misses += c.result() ? 0 : 1;
        }
      }
    }
    long entries = finalState.values().stream().filter(id -> id != RegisterModel.ABSENT).count();
    long bytes = finalState.values().stream().filter(id -> id != RegisterModel.ABSENT)
        .mapToLong(id -> valueOf(id).length).sum();
    assertEquals(writes, m.writes(), "writes");
    assertEquals(deletes, m.deletes(), "deletes");
    assertEquals(reads, m.reads(), "reads");
    assertEquals(misses, m.misses(), "misses");
    assertEquals(entries, m.entries(), "entries");
    assertEquals(bytes, m.bytes(), "bytes");
  }

  private static String key(int k) {
    return "key-" + k;
  }

  /** 8 bytes of id, then 0..22 bytes of a pattern derived from the id. */
  static byte[] valueOf(long id) {
    int extra = (int) Long.remainderUnsigned(id * 0x9E3779B97F4A7C15L, 23);
    ByteBuffer b = ByteBuffer.allocate(8 + extra).putLong(id);
    for (int i = 0; i < extra; i++) {
      b.put((byte) (id >>> (i % 8 * 8) ^ i));
    }
    return b.array();
  }

  /** The id of a value read back, after checking every byte is what that id's writer wrote. */
  static long idOf(byte[] value) {
    if (value == null) {
      return RegisterModel.ABSENT;
    }
    if (value.length < 8) {
      fail("torn value: " + value.length + " bytes");
    }
    long id = ByteBuffer.wrap(value).getLong();
    assertArrayEquals(valueOf(id), value, () -> "torn or foreign value for id " + id);
    return id;
  }
}
