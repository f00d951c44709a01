package io.warpengine.physics.cache;

/**
 * The typed face of the {@code cache} plugin: {@code engine.plugin(EventHorizon.class)}.
 *
 * <p>Settings (engine options' properties): {@code cache.maxEntries} bounds the number of
 * resident entries; otherwise {@code cache.budgetBytes} bounds the bytes of resident values
 * (default: a quarter of the maximum heap). Without the {@code warp-wal} module an entry pushed
 * beyond the horizon is evicted from the engine, which then behaves as a bounded cache. With it
 * (and a data directory) the value leaves the heap and the entry keeps its log location; a
 * later read loads it from disk and brings it back inside. The metrics say which mode applies
 * ({@code durable}) and count the engine's {@code diskLoads}.
 */
public interface EventHorizon {

  /**
   * Applies every recorded access and write to the policy now and evicts until the budget
   * holds. The plugin does this in the background on its own; call it to make the state exact
   * at a point in time (tests, trace replay).
   */
  void cleanUp();

  /** The budget, in entries or bytes as {@link #countsEntries()} says. */
  long budget();

  /** The weight inside the horizon (on the heap) as of the last drain, in the budget's unit. */
  long residentWeight();

  /** Whether the budget counts entries ({@code cache.maxEntries}) rather than value bytes. */
  boolean countsEntries();
}
