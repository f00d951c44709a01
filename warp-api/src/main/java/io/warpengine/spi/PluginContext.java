package io.warpengine.spi;

import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BooleanSupplier;

/**
 * What the engine gives a plugin: a read view of the shards, a scheduler, its settings, its
 * journal metadata, and one write: a conditional delete.
 */
public interface PluginContext {

  /** The name this plugin was loaded under. */
  String pluginName();

  /** A read-only view of the shards; reading through it touches no counter and no hook. */
  ShardView shards();

  /**
   * A scheduler shared by all plugins of this engine, with daemon threads, shut down when the
   * engine closes. Tasks must be short or yield regularly; do not block it.
   */
  ScheduledExecutorService scheduler();

  /** This plugin's settings: the engine options' properties named {@code pluginName.*}. */
  PluginConfig config();

  /**
   * Another loaded plugin's implementation of {@code type} (for example the entropy monitor asks
   * for a {@link Rebalancer}); empty when no loaded plugin offers it. Ask from
   * {@link PhysicsPlugin#start()} on: before that, while the plugins are being created, it sees
   * only those created before this one.
   */
  <T> Optional<T> capability(Class<T> type);

  /**
   * What this plugin last saved with {@link #saveMetadata} before the engine was closed or
   * crashed; empty if it saved nothing, or if the engine is in memory. Valid from
   * {@link PhysicsPlugin#start()} on.
   */
  default Optional<byte[]> recoveredMetadata() {
    return Optional.empty();
  }

  /**
   * Saves a small record of this plugin's state (at most {@link Journal#MAX_METADATA_BYTES})
   * through the engine's journal, replacing what it saved before; it comes back from
   * {@link #recoveredMetadata()} after a restart. Not hot path: returns once the record is as
   * durable as the engine's sync policy promises. Valid from {@link PhysicsPlugin#start()} on.
   *
   * @return false, having saved nothing, if the engine is in memory
   */
  default boolean saveMetadata(byte[] payload) {
    return false;
  }

  /**
   * Deletes {@code key} as {@code WarpEngine.delete} would (logged in a durable engine, counted
   * as a delete, every plugin's {@link PhysicsPlugin#onDelete} runs) if it has a value and
   * {@code condition} returns true. The condition runs atomically with the delete: no write of
   * {@code key} can come between the two, so a plugin can make the delete depend on its own
   * record of the key (for example that no write refreshed it since it expired). It runs under
   * the key's lock: it must be short, must not block and must not call the engine. Not hot
   * path: for background work such as expiry. Valid from {@link PhysicsPlugin#start()} on.
   *
   * @return whether the key was deleted (false if it had no value or the condition said no)
   */
  default boolean deleteIf(String key, BooleanSupplier condition) {
    throw new UnsupportedOperationException("this engine lets no plugin delete");
  }

  /**
   * The engine's key mover, offered only to the plugin whose {@link ShardRouter} the engine
   * routes with (empty for every other plugin, and before {@link PhysicsPlugin#start()}).
   */
  default Optional<KeyMover> keyMover() {
    return Optional.empty();
  }
}
