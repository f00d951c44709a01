/** Benchmarks, comparisons and the warp command-line tool. */
module io.warpengine.bench {
  requires io.warpengine.api;
  requires io.warpengine.physics.cache;
  requires io.warpengine.physics.quantum;
  requires com.github.benmanes.caffeine;
  requires java.management;
}
