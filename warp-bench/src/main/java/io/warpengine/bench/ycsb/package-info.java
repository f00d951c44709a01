/**
 * The YCSB binding, {@link io.warpengine.bench.ycsb.WarpYcsbBinding}, for the official YCSB
 * client on the class path ({@code ./warp ycsb}); YCSB is never part of the jlink image.
 */
package io.warpengine.bench.ycsb;
