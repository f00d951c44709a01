package io.warpengine.physics.quantum.internal;

import io.warpengine.spi.PhysicsPlugin;
import io.warpengine.spi.PhysicsPluginProvider;
import io.warpengine.spi.PluginContext;

/** Registers entanglement as the physics plugin named {@value #NAME}. */
public final class QuantumProvider implements PhysicsPluginProvider {

  static final String NAME = "quantum";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public PhysicsPlugin create(PluginContext context) {
    return new QuantumPlugin(context);
  }
}
