/**
 * Benchmarks, comparisons and the {@code warp} command-line tool.
 *
 * <p>The tool runs in the jlink image {@code warp-bench/target/warp-image}.
 */
module io.warpengine.bench {
  requires io.warpengine.api;
  requires info.picocli;

  opens io.warpengine.bench.cli to info.picocli;
}
