/** The {@code warp} command-line tool: {@link io.warpengine.bench.cli.WarpCommand}. */
package io.warpengine.bench.cli;
