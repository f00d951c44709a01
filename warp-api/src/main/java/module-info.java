/**
 * Warp's user API and SPIs. Depends on the JDK alone.
 *
 * <ul>
 *   <li>{@code io.warpengine}: where you start — {@code Warp.open(WarpOptions)};</li>
 *   <li>{@code io.warpengine.api}: the engine interface and the types it speaks;</li>
 *   <li>{@code io.warpengine.spi}: the contracts that engine, journal and plugin modules implement.</li>
 * </ul>
 * The packages layer without a cycle: {@code io.warpengine} uses {@code spi}, which uses
 * {@code api}.
 */
module io.warpengine.api {
  exports io.warpengine;
  exports io.warpengine.api;
  exports io.warpengine.spi;

  uses io.warpengine.spi.EngineProvider;
}
