/** Benchmarks, comparisons and the warp command-line tool. */
module io.warpengine.bench {
  requires io.warpengine.api;
  requires io.warpengine.physics.cache;
  requires com.github.benmanes.caffeine;
  requires java.management;
}
