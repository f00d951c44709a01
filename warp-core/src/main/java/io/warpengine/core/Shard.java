package io.warpengine.core;

import io.warpengine.api.ShardMetrics;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * A spacetime shard: one concurrent map and its counters. Callers mutate it directly from their
 * own threads. The byte counts stay exact under concurrency because every mutation learns the
 * value it displaced atomically from the map and adds the difference.
 *
 * <p>A map value is a {@code byte[]} (inside the event horizon) or a {@link Beyond} marker (on
 * disk only; durable engines with a residency policy). {@code bytes} counts the values in both
 * forms, {@code beyondEntries} and {@code beyondBytes} the second form alone.
 */
final class Shard {

  final int index;
  /** The entries. Replaced only by {@link #presize}, while the engine is being opened. */
  ConcurrentHashMap<String, Object> map = new ConcurrentHashMap<>();
  private final LongAdder bytes = new LongAdder();
  private final LongAdder beyondEntries = new LongAdder();
  private final LongAdder beyondBytes = new LongAdder();
  private final LongAdder diskLoads = new LongAdder();
  private final LongAdder reads = new LongAdder();
  private final LongAdder misses = new LongAdder();
  private final LongAdder writes = new LongAdder();
  private final LongAdder deletes = new LongAdder();
  private final LongAdder evictions = new LongAdder();

  Shard(int index) {
    this.index = index;
  }

  /**
   * Recovery's hint: swaps the still empty map for one with room for {@code entries}, so that
   * loading them does not grow it a doubling at a time (each doubling copies the table and
   * many of its nodes). Only from the engine's constructor, before any other thread can see
   * this shard (the engine's final {@code shards} field publishes the map with it).
   */
  void presize(int entries) {
    if (map.isEmpty()) {
      map = new ConcurrentHashMap<>(entries);
    }
  }

  void recordRead(boolean hit) {
    reads.increment();
    if (!hit) {
      misses.increment();
    }
  }

  /** A write stored {@code stored}, displacing {@code displaced} (null when the key was new). */
  void recordWrite(byte[] stored, Object displaced) {
    bytes.add(stored.length - gone(displaced));
    writes.increment();
  }

  void recordDelete(Object removed) {
    bytes.add(-gone(removed));
    deletes.increment();
  }

  /** The length of a value that left the map (0 for none), noting it if it was beyond. */
  private long gone(Object value) {
    return switch (value) {
      case null -> 0;
      case byte[] b -> b.length;
      case Beyond b -> {
        beyondEntries.decrement();
        beyondBytes.add(-b.length());
        yield b.length();
      }
      default -> throw new IllegalStateException("not a shard value: " + value.getClass());
    };
  }

  /** A value went beyond the horizon (or recovery found it there). */
  private void beyond(Beyond b) {
    beyondEntries.increment();
    beyondBytes.add(b.length());
  }

  /** A released value left the heap for {@code b}. */
  void recordRelease(Beyond b) {
    beyond(b);
  }

  /** A read loaded a value from disk; {@code inside}: and brought it back inside. */
  void recordDiskLoad(Beyond b, boolean inside) {
    diskLoads.increment();
    if (inside) {
      gone(b);
    }
  }

  /** The residency policy pushed {@code removed} out of the engine. */
  void recordEviction(Object removed) {
    bytes.add(-gone(removed));
    evictions.increment();
  }

  /**
   * Recovery stores {@code value}, a {@code byte[]} or a {@link Beyond}: the byte counts follow,
   * the write counter does not.
   */
  void restore(String key, Object value) {
    int length;
    if (value instanceof Beyond b) {
      beyond(b);
      length = b.length();
    } else {
      length = ((byte[]) value).length;
    }
    bytes.add(length - gone(map.put(key, value)));
  }

  /** Recovery removes {@code key}: the byte counts follow, the delete counter does not. */
  void restoreDelete(String key) {
    bytes.add(-gone(map.remove(key)));
  }

  ShardMetrics metrics() {
    return new ShardMetrics(index, map.mappingCount(), bytes.sum(), reads.sum(), misses.sum(),
        writes.sum(), deletes.sum(), evictions.sum(), beyondEntries.sum(), beyondBytes.sum(),
        diskLoads.sum());
  }
}
