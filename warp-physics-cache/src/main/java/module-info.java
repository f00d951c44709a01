/**
 * The event horizon: keeps the engine's values within a memory budget, choosing what stays by
 * "mass" (decayed access frequency) with an adaptive W-TinyLFU policy. Depends on the api only.
 */
module io.warpengine.physics.cache {
  requires io.warpengine.api;

  exports io.warpengine.physics.cache;

  provides io.warpengine.spi.PhysicsPluginProvider
      with io.warpengine.physics.cache.internal.EventHorizonProvider;
}
