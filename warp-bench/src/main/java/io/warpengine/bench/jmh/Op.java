package io.warpengine.bench.jmh;

import java.util.Locale;

/**
 * The operations {@link StoreBenchmark} measures, each with the engine/map throughput ratio the
 * project aims for (a goal printed next to the measured ratio, never asserted).
 */
enum Op {
  GET(0.8),
  /** {@code getReadOnly}: the read without the copy out (same target as get). */
  VIEW(0.8),
  PUT(0.7);

  final double targetRatio;

  Op(double targetRatio) {
    this.targetRatio = targetRatio;
  }

  /** The name of the {@link StoreBenchmark} method that measures this operation. */
  String method() {
    return name().toLowerCase(Locale.ROOT);
  }
}
