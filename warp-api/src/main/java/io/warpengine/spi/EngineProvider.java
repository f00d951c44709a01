package io.warpengine.spi;

import io.warpengine.api.WarpEngine;

/** Opens engines; {@code warp-core} provides the one implementation. Found by {@code Warp.open}. */
public interface EngineProvider {

  WarpEngine open(EngineConfig config);
}
