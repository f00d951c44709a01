package io.warpengine.bench.jmh;

import java.util.Locale;
import java.util.OptionalDouble;

/**
 * The operations {@link StoreBenchmark} measures, each with the engine/map throughput ratio the
 * project aims for where it sets one (a goal printed next to the measured ratio, never asserted).
 */
enum Op {
  GET(0.8),
  /** {@code getReadOnly}: the read without the copy out (same target as get). */
  VIEW(0.8),
  /** No target: the issue sets none for put. */
  PUT;

  /** The engine/map ratio aimed for; empty when the project sets none. */
  final OptionalDouble targetRatio;

  Op(double targetRatio) {
    this.targetRatio = OptionalDouble.of(targetRatio);
  }

  Op() {
    this.targetRatio = OptionalDouble.empty();
  }

  /** The name of the {@link StoreBenchmark} method that measures this operation. */
  String method() {
    return name().toLowerCase(Locale.ROOT);
  }
}
