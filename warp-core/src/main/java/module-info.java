/** The Warp engine: shards, direct concurrent access, the plugin host. Exports nothing. */
module io.warpengine.core {
  requires transitive io.warpengine.api;
  requires org.slf4j;

  uses io.warpengine.spi.PhysicsPluginProvider;
  uses io.warpengine.spi.JournalFactory;

  provides io.warpengine.spi.EngineProvider with io.warpengine.core.CoreEngineProvider;
}
