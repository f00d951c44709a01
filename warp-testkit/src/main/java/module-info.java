/**
 * The test kit: run a concurrent workload against any {@code WarpEngine}, check what it
 * recorded against a sequential model, and put a physics plugin through the conformance suite
 * ({@link io.warpengine.testkit.PluginConformance}). For the engine's own tests and for plugin
 * authors.
 */
module io.warpengine.testkit {
  requires transitive io.warpengine.api;
  requires jdk.management;

  exports io.warpengine.testkit;

  uses io.warpengine.spi.PhysicsPluginProvider;
}
