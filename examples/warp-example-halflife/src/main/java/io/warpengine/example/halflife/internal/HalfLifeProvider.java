package io.warpengine.example.halflife.internal;

import io.warpengine.spi.NamedPluginProvider;

/** Found by {@code ServiceLoader} through {@code provides} in {@code module-info.java}. */
public final class HalfLifeProvider extends NamedPluginProvider {
  public HalfLifeProvider() {
    super("half-life", context -> new HalfLifePlugin(context, Ticker.SYSTEM));
  }
}
