package io.warpengine.physics.entropy;

/**
 * Normalised Shannon entropy: {@code H / log2(N)} for a distribution over {@code N} buckets,
 * where {@code H = -Σ p·log2 p} and {@code p} is each bucket's share. 1.0 means perfectly even,
 * 0.0 means everything in one bucket.
 */
public final class Entropy {

  private Entropy() {}

  /**
   * The normalised entropy of {@code counts} (each ≥ 0). With fewer than two buckets, or nothing
   * counted at all, there is no unevenness to measure and the result is 1.0.
   *
   * @throws IllegalArgumentException if a count is negative
   */
  public static double normalized(long[] counts) {
    long total = 0;
    for (long c : counts) {
      if (c < 0) {
        throw new IllegalArgumentException("counts must not be negative, found " + c);
      }
      total += c;
    }
    if (counts.length < 2 || total == 0) {
      return 1.0;
    }
    double h = 0;
    for (long c : counts) {
      if (c > 0) {
        double p = (double) c / total;
        h -= p * Math.log(p);
      }
    }
    return h / Math.log(counts.length);
  }

  /**
   * The least-squares slope of {@code values} against their index (per sample); 0 for fewer
   * than two values.
   */
  public static double slope(double[] values) {
    int n = values.length;
    if (n < 2) {
      return 0;
    }
    double meanX = (n - 1) / 2.0;
    double meanY = 0;
    for (double v : values) {
      meanY += v;
    }
    meanY /= n;
    double num = 0;
    double den = 0;
    for (int i = 0; i < n; i++) {
      num += (i - meanX) * (values[i] - meanY);
      den += (i - meanX) * (i - meanX);
    }
    return num / den;
  }
}
