/**
 * Quantum entanglement: relationships between keys — explicit, from rule templates, and learned
 * from which keys the same caller reads together — used to read a key with its partners in one
 * call. Depends on the api only.
 */
module io.warpengine.physics.quantum {
  requires io.warpengine.api;

  exports io.warpengine.physics.quantum;

  provides io.warpengine.spi.PhysicsPluginProvider
      with io.warpengine.physics.quantum.internal.QuantumProvider;
}
