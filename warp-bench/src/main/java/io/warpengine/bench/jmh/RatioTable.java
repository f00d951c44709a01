package io.warpengine.bench.jmh;

import io.warpengine.bench.workload.Distribution;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The benchmark's summary: one row per operation, distribution and thread count, with the
 * throughput of the engine and of both baselines measured in the same run, and the ratios.
 */
final class RatioTable {

  private static final String LINE = "  %-4s %-8s %7s %22s %22s %12s  %-15s %22s %14s%n";

  /** A score whose relative error is over this is called noisy. */
  static final double NOISY_ERROR = 0.2;

  private RatioTable() {}

  /** Student's t quantile 0.975 for 1 to 10 degrees of freedom. */
  private static final double[] T_975 =
      {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228};
  private static final double Z_975 = 1.959964;

  /** The mean of {@code ratios} and the half-width of its 95% confidence interval (t-based). */
  static String meanWithInterval(List<Double> ratios) {
    int n = ratios.size();
    double mean = ratios.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    double squares = ratios.stream().mapToDouble(r -> (r - mean) * (r - mean)).sum();
    double halfWidth = t975(n - 1) * Math.sqrt(squares / (n - 1) / n);
    return String.format(Locale.ROOT, "%.3f ± %.3f", mean, halfWidth);
  }

  /**
   * Student's t quantile 0.975 for {@code df} degrees of freedom: from the table up to 10, then
   * from the first three terms of the Cornish-Fisher expansion around the normal quantile
   * (within 0.001 of the exact value from 11 on).
   */
  static double t975(int df) {
    if (df <= T_975.length) {
      return T_975[df - 1];
    }
    double z = Z_975;
    double z3 = z * z * z;
    double z5 = z3 * z * z;
    double v = df;
    return z + (z3 + z) / (4 * v) + (5 * z5 + 16 * z3 + 3 * z) / (96 * v * v)
        + (3 * z5 * z * z + 19 * z5 + 17 * z3 - 15 * z) / (384 * v * v * v);
  }

  /**
   * A JMH score in operations per second, with the half-width of its 99.9% confidence interval
   * as JMH reports it (NaN when there were too few iterations to tell).
   */
  record Score(double opsPerSecond, double error) {
    double relativeError() {
      return error / opsPerSecond;
    }

    @Override
    public String toString() {
      return Double.isNaN(error)
          ? String.format(Locale.ROOT, "%,.0f", opsPerSecond)
          : String.format(Locale.ROOT, "%,.0f ± %.0f%%", opsPerSecond, 100 * relativeError());
    }

    /** {@code this / other}, with its error from the two relative errors (first order). */
    String ratioTo(Score other) {
      double ratio = opsPerSecond / other.opsPerSecond;
      double error = ratio * Math.hypot(relativeError(), other.relativeError());
      return Double.isNaN(error)
          ? String.format(Locale.ROOT, "%.2f", ratio)
          : String.format(Locale.ROOT, "%.2f ± %.2f", ratio, error);
    }
  }

  record Row(Op op, Distribution distribution, int threads, Score engine, Score map,
             Score copyingMap) {
    /** Engine over bare map: the figure the target is about. */
    double ratio() {
      return engine.opsPerSecond() / map.opsPerSecond();
    }

    String verdict() {
      if (op.targetRatio.isEmpty()) {
        return "no target";
      }
      double target = op.targetRatio.getAsDouble();
      boolean met = ratio() >= target;
      return String.format(Locale.ROOT, "%s %.2f %s", met ? "≥" : "<", target,
          met ? "met" : "MISSED");
    }
  }

  /** How many scores of {@code rows} have a relative error over {@link #NOISY_ERROR}. */
  static long noisyScores(List<Row> rows) {
    return rows.stream()
        .flatMap(r -> Stream.of(r.engine(), r.map(), r.copyingMap()))
        .filter(score -> score.relativeError() > NOISY_ERROR)
        .count();
  }

  static void print(PrintWriter out, List<Row> rows) {
    out.printf(Locale.ROOT, LINE, "op", "keys", "threads", "engine ops/s", "map ops/s",
        "engine/map", "target", "copying map ops/s", "engine/copying");
    for (Row r : rows) {
      out.printf(Locale.ROOT, LINE, r.op().method(),
          r.distribution().name().toLowerCase(Locale.ROOT), r.threads(), r.engine(), r.map(),
          r.engine().ratioTo(r.map()), r.verdict(), r.copyingMap(),
          r.engine().ratioTo(r.copyingMap()));
    }
  }
}
