package io.warpengine.wal;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.warpengine.api.SyncPolicy;
import io.warpengine.api.WarpEngine;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The deterministic per-thread workload of the crash tests: operation {@code i} of thread
 * {@code t} touches only thread {@code t}'s keys, so a thread's keys show exactly how far its
 * operations got. Shared by the child that runs it and the parent that checks it.
 */
enum CrashWorkload {
  /** Puts and deletes over 20 keys per thread. */
  PUTS(SyncPolicy.ALWAYS),
  /** putAll of 4 keys per operation: torn batches would show. */
  BATCHES(SyncPolicy.ALWAYS),
  /** Puts and deletes with tiny segments, so snapshots and compaction run all the time. */
  COMPACTION(SyncPolicy.ALWAYS),
  /** Puts and deletes without fsync: a process crash must lose nothing acknowledged either. */
  PUTS_WITHOUT_FSYNC(SyncPolicy.NONE),
  /**
   * Puts and deletes with tiny segments and an event horizon of 4 entries: most values live on
   * disk only, and snapshots relocate them while the kills come.
   */
  HORIZON(SyncPolicy.ALWAYS);

  final SyncPolicy policy;

  CrashWorkload(SyncPolicy policy) {
    this.policy = policy;
  }

  static final int KEYS = 20;

  static String key(int thread, int slot) {
    return "t" + thread + "-k" + slot;
  }

  static String value(int thread, long i) {
    return "t" + thread + "-op" + i;
  }

  /** Whether snapshots and compaction run all the time (tiny segments). */
  boolean compacts() {
    return this == COMPACTION || this == HORIZON;
  }

  /** Applies operation {@code i} of {@code thread} to the engine. */
  void run(WarpEngine engine, int thread, long i) {
    switch (this) {
      case BATCHES -> engine.putAll(batch(thread, i));
      default -> {
        if (i % 7 == 6) {
          engine.delete(key(thread, (int) (i * 31 % KEYS)));
        } else {
          engine.put(key(thread, (int) (i % KEYS)), value(thread, i).getBytes(UTF_8));
        }
      }
    }
  }

  /** Applies operations {@code 0..last} of {@code thread} to a model. */
  void model(TreeMap<String, String> model, int thread, long last) {
    for (long i = 0; i <= last; i++) {
      if (this == BATCHES) {
        batch(thread, i).forEach((k, v) -> model.put(k, new String(v, UTF_8)));
      } else if (i % 7 == 6) {
        model.remove(key(thread, (int) (i * 31 % KEYS)));
      } else {
        model.put(key(thread, (int) (i % KEYS)), value(thread, i));
      }
    }
  }

  private static Map<String, byte[]> batch(int thread, long i) {
    Map<String, byte[]> m = new LinkedHashMap<>();
    for (int j = 0; j < 4; j++) {
      m.put(key(thread, (int) ((i + j * 5) % KEYS)), value(thread, i).getBytes(UTF_8));
    }
    return m;
  }
}
