package io.warpengine.core;

import io.warpengine.api.WarpEngine;
import io.warpengine.spi.EngineConfig;
import io.warpengine.spi.EngineProvider;

/** The {@link EngineProvider} that {@code Warp.open} finds in this module. */
public final class CoreEngineProvider implements EngineProvider {

  @Override
  public WarpEngine open(EngineConfig config) {
    return new ShardedEngine(config);
  }
}
