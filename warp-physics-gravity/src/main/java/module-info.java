/**
 * Gravity: the shard router. Keys with the same centre of mass (a {@code {tag}} or a rule's id)
 * share a shard; shard load is balanced by mass, moving hot centres online through wormholes
 * (route overrides that persist through the journal). Depends on the api only.
 */
module io.warpengine.physics.gravity {
  requires io.warpengine.api;

  exports io.warpengine.physics.gravity;

  provides io.warpengine.spi.PhysicsPluginProvider
      with io.warpengine.physics.gravity.internal.GravityProvider;
}
