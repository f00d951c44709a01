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
}
