package io.warpengine.bench.workload;

import java.util.random.RandomGenerator;

/**
 * A Zipfian distribution over {@code [0, n)}: index {@code i} is drawn with probability
 * proportional to {@code 1 / (i + 1)^theta}, so index 0 is the hottest key.
 *
 * <p>The algorithm is the one of Gray et al., "Quickly Generating Billion-Record Synthetic
 * Databases" (SIGMOD 1994), as used by YCSB's {@code ZipfianGenerator}: one uniform draw per
 * sample and O(1) work, after an O(n) computation of the generalised harmonic number
 * {@code zeta(n, theta)} in the constructor. Indexes 0 and 1 get their exact probabilities;
 * the others come from a continuous approximation of the inverse distribution function, which
 * draws indexes 2 to about 10 somewhat too often (index 2 by some 15-20%, so the ten hottest keys
 * take about 40% of the draws instead of 38% for a thousand keys at theta 0.99) and is close to
 * the law beyond them. Unlike YCSB's scrambled variant, indexes are not hashed: the stores hash
 * the key names anyway.
 */
public final class Zipfian implements KeyDistribution {

  /** The skew YCSB uses by default. */
  public static final double YCSB_THETA = 0.99;

  private final int keys;
  private final double theta;
  private final double zetaN;
  private final double alpha;
  private final double eta;
  private final double twoThreshold;

  /** A Zipfian distribution over {@code keys} indexes with skew {@code theta} in (0, 1). */
  public Zipfian(int keys, double theta) {
    if (keys < 1) {
      throw new IllegalArgumentException("keys must be at least 1, was " + keys);
    }
    if (!(theta > 0 && theta < 1)) {
      throw new IllegalArgumentException("theta must be in (0, 1), was " + theta);
    }
    this.keys = keys;
    this.theta = theta;
    this.zetaN = zeta(keys, theta);
    this.alpha = 1 / (1 - theta);
    this.eta = (1 - Math.pow(2.0 / keys, 1 - theta)) / (1 - zeta(2, theta) / zetaN);
    this.twoThreshold = 1 + Math.pow(0.5, theta);
  }

  @Override
  public int keys() {
    return keys;
  }

  @Override
  public int next(RandomGenerator random) {
    double u = random.nextDouble();
    double uz = u * zetaN;
    if (uz < 1) {
      return 0;
    }
    if (uz < twoThreshold) {
      return 1;
    }
    int index = (int) (keys * Math.pow(eta * u - eta + 1, alpha));
    return Math.min(index, keys - 1);
  }

  /** The exact probability of index {@code i} under the Zipf law this generator follows. */
  public double probability(int i) {
    return 1 / Math.pow(i + 1, theta) / zetaN;
  }

  /** The generalised harmonic number: the sum of {@code 1 / i^theta} for i from 1 to n. */
  private static double zeta(int n, double theta) {
    double sum = 0;
    for (int i = 1; i <= n; i++) {
      sum += 1 / Math.pow(i, theta);
    }
    return sum;
  }
}
