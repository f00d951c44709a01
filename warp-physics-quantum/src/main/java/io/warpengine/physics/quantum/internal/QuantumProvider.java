package io.warpengine.physics.quantum.internal;

import io.warpengine.spi.NamedPluginProvider;

/** Registers entanglement as the physics plugin named "quantum". */
public final class QuantumProvider extends NamedPluginProvider {

  public QuantumProvider() {
    super("quantum", QuantumPlugin::new);
  }
}
