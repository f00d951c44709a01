package io.warpengine.bench.workload;

/** The key distributions offered by name on the command line and as JMH parameters. */
public enum Distribution {
  /** Every key equally likely. */
  UNIFORM,
  /** Zipfian with YCSB's skew {@value Zipfian#YCSB_THETA}: a few hot keys take most accesses. */
  ZIPF;

  /** This distribution over {@code keys} key indexes. */
  public KeyDistribution over(int keys) {
    return switch (this) {
      case UNIFORM -> new KeyDistribution.Uniform(keys);
      case ZIPF -> new Zipfian(keys, Zipfian.YCSB_THETA);
    };
  }
}
