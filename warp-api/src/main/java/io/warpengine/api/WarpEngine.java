package io.warpengine.api;

import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;

/**
 * A sharded key-value store: {@code String} keys, {@code byte[]} values. Open one with
 * {@code io.warpengine.Warp.open(options)}; close it when done.
 *
 * <h2>Threading</h2>
 * Every method is thread-safe and runs on the caller's thread against the key's shard; there is
 * no central thread and no global lock. Single-key operations are atomic and linearizable per
 * key. Multi-key operations ({@link #getAll}, {@link #putAll}, {@link #scan}) are not atomic with
 * respect to concurrent callers: concurrent readers may see a {@code putAll}'s keys appear one
 * by one, and a scan is weakly consistent (it sees each key as it was at some moment during the
 * scan).
 *
 * <h2>Values are copied</h2>
 * The engine copies a value on the way in and on the way out: mutating an array after
 * {@code put}, or an array returned by {@code get}, never changes what is stored. Where the
 * copy out matters, {@link #getReadOnly} gives a read-only view of the stored bytes instead.
 *
 * <h2>Bad input</h2>
 * A null or empty key, a key over {@value #MAX_KEY_BYTES} UTF-8 bytes, a null value or a value
 * over the options' {@code maxValueBytes} is rejected with an
 * {@link IllegalArgumentException} naming what was wrong, and nothing stored changes. Any call
 * after {@link #close()} throws {@link IllegalStateException}.
 */
public interface WarpEngine extends AutoCloseable {

  /** The longest key, in UTF-8 bytes. */
  int MAX_KEY_BYTES = 65_535;

  /** Stores {@code value} under {@code key} with {@link PutOptions#DEFAULT}. */
  default void put(String key, byte[] value) {
    put(key, value, PutOptions.DEFAULT);
  }

  /** Stores {@code value} under {@code key}, replacing any earlier value. */
  void put(String key, byte[] value, PutOptions options);

  /** A copy of the value stored under {@code key}, or {@code null} when there is none. */
  byte[] get(String key);

  /**
   * The value stored under {@code key} as a read-only view, without copying it, or {@code null}
   * when there is none. Counted and seen by plugins as a {@link #get}. The view cannot change
   * what is stored, and it keeps showing the value as it was when read: the engine never
   * modifies a stored value in place, a later write replaces it.
   */
  ByteBuffer getReadOnly(String key);

  /** Removes {@code key}; returns whether it was there. */
  boolean delete(String key);

  boolean contains(String key);

  /** The number of keys stored (a sum of per-shard counts, not a snapshot under writes). */
  long size();

  /**
   * Stores {@code value} only if {@code key} has no value.
   *
   * @return {@code null} if the value was stored, otherwise a copy of the value already there
   */
  byte[] putIfAbsent(String key, byte[] value);

  /**
   * Replaces the value of {@code key} with {@code newValue} only if the current value has the
   * same content as {@code expected} (compared with {@link java.util.Arrays#equals}).
   *
   * @return whether the value was replaced
   */
  boolean replace(String key, byte[] expected, byte[] newValue);

  /**
   * The values of those {@code keys} that exist, as copies, in the order of the keys; absent
   * keys are left out and a key named twice is read once. Every key is checked before any is
   * read.
   */
  Map<String, byte[]> getAll(Collection<String> keys);

  /** {@link #putAll(Map, PutOptions)} with {@link PutOptions#DEFAULT}. */
  default void putAll(Map<String, byte[]> entries) {
    putAll(entries, PutOptions.DEFAULT);
  }

  /**
   * Stores every entry. Every key and value is checked before anything is stored: if one is
   * rejected, none is stored. Concurrent readers may see the keys appear one by one; with the
   * {@code warp-wal} module the batch is atomic after a crash (all of it or none).
   */
  void putAll(Map<String, byte[]> entries, PutOptions options);

  /**
   * Up to {@code limit} entries whose key starts with {@code prefix} (the empty prefix matches
   * every key), in key order, values copied. Visits every shard: cost grows with the store's
   * size, not the result's.
   */
  SortedMap<String, byte[]> scan(String prefix, int limit);

  /** Encodes {@code value} with {@code codec} and stores it. */
  default <T> void put(String key, T value, Codec<T> codec) {
    if (value == null) {
      throw new IllegalArgumentException("value must not be null (key '" + key + "')");
    }
    put(key, codec.encode(value));
  }

  /** The value under {@code key} decoded with {@code codec}, or empty when there is none. */
  default <T> Optional<T> get(String key, Codec<T> codec) {
    byte[] bytes = get(key);
    return bytes == null ? Optional.empty() : Optional.of(codec.decode(bytes));
  }

  /**
   * The typed face of a loaded plugin, for example the entanglement API of the quantum module;
   * empty when no loaded plugin offers {@code type}.
   */
  <T> Optional<T> plugin(Class<T> type);

  /** Names of the physics plugins loaded, in start order. */
  List<String> pluginNames();

  /** Whether writes reach a journal (the {@code warp-wal} module and a data directory). */
  boolean isDurable();

  /** The counters now: totals, per shard, per plugin. */
  MetricsSnapshot metrics();

  /** Stops the plugins (in reverse start order) and releases the engine. Idempotent. */
  @Override
  void close();
}
