package io.warpengine.spi;

import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;

/** What the engine gives a plugin: a read view of the shards, a scheduler, its settings. */
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
   * for a {@link Rebalancer}). Valid from {@link PhysicsPlugin#start()} on; empty before and when
   * no loaded plugin offers it.
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
   * The engine's key mover, offered only to the plugin whose {@link ShardRouter} the engine
   * routes with (empty for every other plugin, and before {@link PhysicsPlugin#start()}).
   */
  default Optional<KeyMover> keyMover() {
    return Optional.empty();
  }
}
