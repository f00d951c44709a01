/** Benchmarks, comparisons and the warp command-line tool. */
module io.warpengine.bench {
  requires io.warpengine.api;
}
