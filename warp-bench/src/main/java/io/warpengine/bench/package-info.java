/** Benchmarks and the warp command-line tool. */
package io.warpengine.bench;
