/**
 * Benchmarks, comparisons and the {@code warp} command-line tool.
 *
 * <p>The tool runs in the jlink image ({@code warp-bench/target/warp-image}), which holds no
 * JMH: JMH is not a named module, so it is read with {@code requires static} (compile time only)
 * and the benchmarks run on the class path ({@code ./warp jmh}), as do the comparisons with other
 * stores ({@code ./warp bench}) and the YCSB binding ({@code ./warp ycsb}), whose libraries are
 * not named modules either.
 */
module io.warpengine.bench {
  requires io.warpengine.api;
  requires io.warpengine.physics.cache;
  requires io.warpengine.physics.quantum;
  requires io.warpengine.physics.entropy;
  requires io.warpengine.physics.gravity;
  requires com.github.benmanes.caffeine;
  requires java.management;
  requires info.picocli;
  requires static jmh.core;
  requires static rocksdbjni;
  // ./warp bench and ./warp ycsb run on the class path (io.warpengine.bench.compare, .ycsb):
  // H2, HdrHistogram and YCSB's core (automatic module name "core") are not in the image.
  requires static com.h2database;
  requires static HdrHistogram;
  requires static core;

  // ./warp wal-bench replays a directory through the journal alone (class path, too).
  uses io.warpengine.spi.JournalFactory;

  opens io.warpengine.bench.cli to info.picocli;
  opens io.warpengine.bench.compare to info.picocli;
}
