package io.warpengine.physics.entropy.internal;

import io.warpengine.spi.NamedPluginProvider;

/** Registers entropy monitoring as the physics plugin named "entropy". */
public final class EntropyProvider extends NamedPluginProvider {

  public EntropyProvider() {
    super("entropy", EntropyPlugin::new);
  }
}
