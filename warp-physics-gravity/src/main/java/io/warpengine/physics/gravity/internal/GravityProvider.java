package io.warpengine.physics.gravity.internal;

import io.warpengine.spi.NamedPluginProvider;

/** Registers gravity as the physics plugin named "gravity". */
public final class GravityProvider extends NamedPluginProvider {

  public GravityProvider() {
    super("gravity", GravityPlugin::new);
  }
}
