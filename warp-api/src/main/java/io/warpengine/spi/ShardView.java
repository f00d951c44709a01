package io.warpengine.spi;

import io.warpengine.api.ShardMetrics;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/** A read-only view of the engine's shards for plugins. All methods are thread-safe. */
public interface ShardView {

  int shardCount();

  /** The shard's live counters (entries, bytes, reads, writes, deletes). */
  ShardMetrics metrics(int shard);

  /** The shard {@code key} is routed to now. */
  int shardOf(String key);

  /** Whether {@code key} has a value now. Counts no read and calls no hook. */
  boolean contains(String key);

  /** Whether {@code key}'s value is on the heap now (inside the event horizon). */
  boolean resident(String key);

  /**
   * A copy of the value under {@code key}, or {@code null}. Unlike {@code WarpEngine.get}, it
   * counts no read and calls no hook.
   */
  byte[] peek(String key);

  /**
   * Copies of the values of those {@code keys} that have one, in the order of {@code keys}, read
   * together: values beyond the event horizon are read from disk as one batch (in file order,
   * neighbouring records with one read) rather than one after another, and stay beyond it. Like
   * {@link #peek}, it counts no read and calls no hook.
   */
  default Map<String, byte[]> peekAll(Collection<String> keys) {
    Map<String, byte[]> values = new LinkedHashMap<>();
    for (String key : keys) {
      byte[] value = peek(key);
      if (value != null) {
        values.put(key, value);
      }
    }
    return values;
  }

  /**
   * Brings {@code key}'s value inside the event horizon if it is beyond it (the residency
   * policy then decides what stays on the heap); counts no read and calls no hook. Does disk
   * I/O: call it from a background thread, never from a hook.
   *
   * @return whether a value was read back from disk and brought inside
   */
  default boolean prefetch(String key) {
    return false;
  }

  /**
   * Visits the shard's entries, weakly consistent. The value array is lent for the duration of
   * the call: do not modify or keep it. Values beyond the horizon are read from disk for it.
   */
  void forEach(int shard, BiConsumer<String, byte[]> visitor);
}
