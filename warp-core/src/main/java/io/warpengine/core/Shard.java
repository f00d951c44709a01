package io.warpengine.core;

import io.warpengine.api.ShardMetrics;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * A spacetime shard: one concurrent map and its counters. Callers mutate it directly from their
 * own threads. The byte count stays exact under concurrency because every mutation learns the
 * value it displaced atomically from the map and adds the difference.
 */
final class Shard {

  final int index;
  final ConcurrentHashMap<String, byte[]> map = new ConcurrentHashMap<>();
  private final LongAdder bytes = new LongAdder();
  private final LongAdder reads = new LongAdder();
  private final LongAdder misses = new LongAdder();
  private final LongAdder writes = new LongAdder();
  private final LongAdder deletes = new LongAdder();
  private final LongAdder evictions = new LongAdder();

  Shard(int index) {
    this.index = index;
  }

  void recordRead(boolean hit) {
    reads.increment();
    if (!hit) {
      misses.increment();
    }
  }

  /** A write stored {@code stored}, displacing {@code displaced} (null when the key was new). */
  void recordWrite(byte[] stored, byte[] displaced) {
    bytes.add(displaced == null ? stored.length : stored.length - displaced.length);
    writes.increment();
  }

  void recordDelete(byte[] removed) {
    bytes.add(-removed.length);
    deletes.increment();
  }

  /** The residency policy pushed {@code removed} out of the engine. */
  void recordEviction(byte[] removed) {
    bytes.add(-removed.length);
    evictions.increment();
  }

  /** Recovery stores {@code value}: the byte count follows, the write counter does not. */
  void restore(String key, byte[] value) {
    byte[] displaced = map.put(key, value);
    bytes.add(displaced == null ? value.length : value.length - displaced.length);
  }

  /** Recovery removes {@code key}: the byte count follows, the delete counter does not. */
  void restoreDelete(String key) {
    byte[] removed = map.remove(key);
    if (removed != null) {
      bytes.add(-removed.length);
    }
  }

  ShardMetrics metrics() {
    return new ShardMetrics(index, map.mappingCount(), bytes.sum(), reads.sum(), misses.sum(),
        writes.sum(), deletes.sum(), evictions.sum());
  }
}
