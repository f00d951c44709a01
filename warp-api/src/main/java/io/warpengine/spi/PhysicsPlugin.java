package io.warpengine.spi;

import io.warpengine.api.PutOptions;
import java.util.Map;
import java.util.Optional;

/**
 * One plugin instance, bound to one engine.
 *
 * <h2>Lifecycle</h2>
 * The engine creates every plugin, then calls {@link #start()} on each in start order (the
 * discovered plugins by name, then those added through the options), then serves calls; at
 * close it calls {@link #close()} in reverse order. Every created plugin is closed exactly once,
 * also when the open fails (a plugin's start threw): so {@code close()} must cope with a plugin
 * that was created but never started.
 *
 * <h2>Hooks</h2>
 * {@link #onPut}, {@link #onGet} and {@link #onDelete} are <em>hot path</em> (see the package
 * documentation): called on the caller's thread after the operation took effect, once per key,
 * from many threads at once. An exception thrown by a hook is counted and logged, never passed
 * to the caller: the operation has already happened.
 */
public interface PhysicsPlugin extends AutoCloseable {

  /** Starts background work. Capabilities of other plugins are available from here on. */
  default void start() {}

  /**
   * A write of {@code key} ({@code put}, {@code putIfAbsent}, {@code replace}, each key of a
   * {@code putAll}) has passed its checks and is about to be stored: no reader can see its value
   * yet. It may still store nothing (a conditional write that does not apply, a journal that
   * refuses it); {@link #onPut} follows only if it stored. For a plugin whose own state must be
   * ahead of the value (the half-life example refreshes a key's deadline here, so that an expiry
   * can never delete a value newer than the deadline it found due). Hot path.
   */
  default void beforePut(String key) {}

  /** A value was stored under {@code key} in {@code shard}. Hot path. */
  default void onPut(String key, int shard, int valueBytes, PutOptions options) {}

  /** {@code key} was read in {@code shard}; {@code hit} tells whether it had a value. Hot path. */
  default void onGet(String key, int shard, boolean hit) {}

  /** {@code key} was removed from {@code shard}. Hot path. */
  default void onDelete(String key, int shard) {}

  /**
   * A read found {@code key}'s value beyond the event horizon, read it back from disk and
   * brought it inside; {@link #onGet} follows. Runs on the reader's thread after a disk read, so
   * it is not as hot as the other hooks, but must not do I/O itself.
   */
  default void onLoad(String key, int shard) {}

  /**
   * This plugin's implementation of {@code type}, if it has one: an SPI role such as
   * {@link ShardRouter} or {@link Rebalancer}, or its typed user API (what
   * {@code engine.plugin(type)} returns). The default offers whatever interfaces this object
   * implements.
   */
  default <T> Optional<T> capability(Class<T> type) {
    return type.isInstance(this) ? Optional.of(type.cast(this)) : Optional.empty();
  }

  /** The plugin's own figures, each read from a real counter; keys are stable metric names. */
  default Map<String, Number> metrics() {
    return Map.of();
  }

  /** Stops background work and releases resources. Must not throw for a normal shutdown. */
  @Override
  default void close() {}
}
