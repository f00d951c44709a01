/**
 * The test kit: run a concurrent workload against any {@code WarpEngine}, and check what it
 * recorded against a sequential model. For the engine's own tests and for plugin authors.
 */
module io.warpengine.testkit {
  requires transitive io.warpengine.api;

  exports io.warpengine.testkit;
}
