/**
 * Entropy monitoring: how evenly load and data spread across the shards, measured from the
 * engine's counters, with a Maxwell's demon that asks a rebalancer (any plugin offering the
 * {@code Rebalancer} SPI) to act when load becomes too ordered. Depends on the api only.
 */
module io.warpengine.physics.entropy {
  requires io.warpengine.api;

  exports io.warpengine.physics.entropy;

  provides io.warpengine.spi.PhysicsPluginProvider
      with io.warpengine.physics.entropy.internal.EntropyProvider;
}
