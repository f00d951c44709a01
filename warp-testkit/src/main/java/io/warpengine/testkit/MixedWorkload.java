package io.warpengine.testkit;

import io.warpengine.api.MetricsSnapshot;
import io.warpengine.api.WarpEngine;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;

/**
 * Many threads run a random mix of every {@link WarpEngine} operation on a small, overlapping
 * key set; each thread records, without any synchronisation, what it called, what it got back
 * and when ({@link System#nanoTime()} before the call and after the return). The result is a
 * {@link History} to check: per key against a {@link RegisterModel}, and the engine's counters
 * against the counts the recorded results imply.
 *
 * <p>Every written value is unique: 8 bytes of id (writer thread, sequence) then a pattern
 * derived from the id, of a length that varies with it. Every value read back is checked byte
 * for byte, so a torn or foreign value fails at once.
 *
 * @param threads      concurrent callers
 * @param opsPerThread operations each caller runs
 * @param keys         size of the shared key set
 * @param seed         fixes every caller's random choices
 */
public record MixedWorkload(int threads, int opsPerThread, int keys, long seed) {

  /** One recorded call on one key (a multi-key call is recorded once per key). */
  public record Recorded(String key, RegisterModel op, long call, long ret) {}

  /** The counts implied by the recorded results. */
  public record Counts(long writes, long deletes, long reads, long misses) {
    /** The same four figures as the engine counted them. */
    public static Counts of(MetricsSnapshot m) {
      return new Counts(m.writes(), m.deletes(), m.reads(), m.misses());
    }
  }

  /** What a run recorded, ending with one read of every key after all callers finished. */
  public record History(List<Recorded> operations, Map<String, Long> finalIds) {

    /** Keys whose history is not linearizable against {@code model}, with their history size. */
    public List<String> violations(LinearizabilityChecker.Model<RegisterModel> model) {
      Map<String, List<LinearizabilityChecker.Operation<RegisterModel>>> byKey = new HashMap<>();
      for (Recorded r : operations) {
        byKey.computeIfAbsent(r.key(), k -> new ArrayList<>())
            .add(new LinearizabilityChecker.Operation<>(r.op(), r.call(), r.ret()));
      }
      List<String> bad = new ArrayList<>();
      byKey.forEach((key, ops) -> {
        if (!LinearizabilityChecker.isLinearizable(ops, RegisterModel.ABSENT, model)) {
          bad.add(key + " (" + ops.size() + " operations)");
        }
      });
      return bad;
    }

    public Counts expectedCounts() {
      long writes = 0;
      long deletes = 0;
      long reads = 0;
      long misses = 0;
      for (Recorded r : operations) {
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
      return new Counts(writes, deletes, reads, misses);
    }

    /** Keys present at the end. */
    public long finalEntries() {
      return finalIds.values().stream().filter(id -> id != RegisterModel.ABSENT).count();
    }

    /** Value bytes present at the end. */
    public long finalBytes() {
      return finalIds.values().stream().filter(id -> id != RegisterModel.ABSENT)
          .mapToLong(id -> valueOf(id).length).sum();
    }
  }

  /** Runs the workload on {@code engine}; {@code beforeFinalReads} runs once all callers are done. */
  public History run(WarpEngine engine, Runnable beforeFinalReads)
      throws InterruptedException, ExecutionException {
    return run(engine, () -> { }, beforeFinalReads);
  }

  /**
   * As {@link #run(WarpEngine, Runnable)}, and each caller runs {@code afterEachCall} after every
   * call, outside the recorded interval (for example to drain a plugin on the caller's thread).
   */
  public History run(WarpEngine engine, Runnable afterEachCall, Runnable beforeFinalReads)
      throws InterruptedException, ExecutionException {
    List<Recorded> all = new ArrayList<>(Concurrently.run(threads, thread ->
        runCaller(engine, afterEachCall, thread, new SplittableRandom(seed * 1_000 + thread))));
    beforeFinalReads.run();
    long afterAll = System.nanoTime();
    Map<String, Long> finalIds = new LinkedHashMap<>();
    for (int k = 0; k < keys; k++) {
      String key = key(k);
      long call = Math.max(System.nanoTime(), afterAll);
      long id = idOf(engine.get(key));
      all.add(new Recorded(key, new RegisterModel.Get(id), call, System.nanoTime()));
      finalIds.put(key, id);
    }
    return new History(List.copyOf(all), finalIds);
  }

  private List<Recorded> runCaller(WarpEngine engine, Runnable afterEachCall, int thread,
                                   SplittableRandom rnd) {
    List<Recorded> log = new ArrayList<>(opsPerThread * 2);
    Map<String, Long> lastSeen = new HashMap<>();
    long nextId = (long) (thread + 1) << 32;
    for (int i = 0; i < opsPerThread; i++) {
      if (i > 0) {
        afterEachCall.run();
      }
      String key = key(rnd.nextInt(keys));
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
          String k = key(rnd.nextInt(keys));
          long id = ++nextId;
          batch.put(k, valueOf(id));
          ids.put(k, id);
        }
        engine.putAll(batch);
        long ret = System.nanoTime();
        ids.forEach((k, id) -> log.add(new Recorded(k, new RegisterModel.Put(id), call, ret)));
      } else {
        Set<String> asked = new LinkedHashSet<>(List.of(key, key(rnd.nextInt(keys)), key(rnd.nextInt(keys))));
        Map<String, byte[]> got = engine.getAll(asked);
        long ret = System.nanoTime();
        for (String k : asked) {
          long id = idOf(got.get(k));
          log.add(new Recorded(k, new RegisterModel.Get(id), call, ret));
          lastSeen.put(k, id);
        }
      }
    }
    return log;
  }

  private static String key(int k) {
    return "key-" + k;
  }

  /** The unique value of an id: 8 bytes of id, then 0 to 22 bytes derived from it. */
  public static byte[] valueOf(long id) {
    int extra = (int) Long.remainderUnsigned(id * 0x9E3779B97F4A7C15L, 23);
    ByteBuffer b = ByteBuffer.allocate(8 + extra).putLong(id);
    for (int i = 0; i < extra; i++) {
      b.put((byte) (id >>> (i % 8 * 8) ^ i));
    }
    return b.array();
  }

  /** The id of a value read back, after checking every byte; ABSENT for null. */
  public static long idOf(byte[] value) {
    if (value == null) {
      return RegisterModel.ABSENT;
    }
    if (value.length < 8) {
      throw new IllegalStateException("torn value: " + value.length + " bytes");
    }
    long id = ByteBuffer.wrap(value).getLong();
    if (!Arrays.equals(valueOf(id), value)) {
      throw new IllegalStateException("torn or foreign value for id " + id);
    }
    return id;
  }
}
