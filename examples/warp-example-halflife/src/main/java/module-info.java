/**
 * Half-life: keys whose names start with a configured prefix expire a fixed time after their
 * last write. The example plugin of {@code docs/plugin-authoring.md}; depends on the api only.
 */
module io.warpengine.example.halflife {
  requires io.warpengine.api;

  exports io.warpengine.example.halflife;

  provides io.warpengine.spi.PhysicsPluginProvider
      with io.warpengine.example.halflife.internal.HalfLifeProvider;
}
