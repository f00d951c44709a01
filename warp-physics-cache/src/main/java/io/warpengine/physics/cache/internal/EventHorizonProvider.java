package io.warpengine.physics.cache.internal;

import io.warpengine.spi.NamedPluginProvider;

/** Registers the event horizon as the physics plugin named "cache". */
public final class EventHorizonProvider extends NamedPluginProvider {

  public EventHorizonProvider() {
    super("cache", EventHorizonPlugin::new);
  }
}
