package io.warpengine.physics.cache.internal;

import io.warpengine.spi.PhysicsPlugin;
import io.warpengine.spi.PhysicsPluginProvider;
import io.warpengine.spi.PluginContext;

/** Registers the event horizon as the physics plugin named {@value #NAME}. */
public final class EventHorizonProvider implements PhysicsPluginProvider {

  static final String NAME = "cache";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public PhysicsPlugin create(PluginContext context) {
    return new EventHorizonPlugin(context);
  }
}
