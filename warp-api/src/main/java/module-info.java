/** Warp's user API and SPIs; see {@link io.warpengine.api.Warp}. Depends on the JDK alone. */
module io.warpengine.api {
  exports io.warpengine.api;
  exports io.warpengine.spi;

  uses io.warpengine.spi.EngineProvider;
}
