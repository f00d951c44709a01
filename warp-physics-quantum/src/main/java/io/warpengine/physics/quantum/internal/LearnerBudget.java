package io.warpengine.physics.quantum.internal;

/**
 * Keeps the learner's share of one core under a cap ({@code quantum.learnerCpuShare}). The
 * learner's cost grows with the reads it is handed, so the lever is the read sample: at the end
 * of every one-second window of passes, a share above the cap asks for half the sample, a share
 * under a quarter of it for twice the sample (never more than configured). So on a busy engine
 * the learner learns from fewer reads rather than taking a core from the callers; the figures
 * come from {@code System.nanoTime} around each pass. Single-threaded: called under the
 * learner's lock.
 */
final class LearnerBudget {

  /** What the sample should do after a pass. */
  enum Verdict { KEEP, THINNER, DENSER }

  private static final long WINDOW_NANOS = 1_000_000_000L;

  private final double maxShare;
  private long windowStart;
  private long busyNanos;
  private double lastShare;

  LearnerBudget(double maxShare, long now) {
    if (!(maxShare > 0 && maxShare <= 1)) {
      throw new IllegalArgumentException("quantum.learnerCpuShare must be in (0, 1], was " + maxShare);
    }
    this.maxShare = maxShare;
    this.windowStart = now;
  }

  /** Notes a pass that ran from {@code start} to {@code end} (nanoTime). */
  Verdict passed(long start, long end) {
    busyNanos += end - start;
    long elapsed = end - windowStart;
    if (elapsed < WINDOW_NANOS) {
      return Verdict.KEEP;
    }
    lastShare = (double) busyNanos / elapsed;
    busyNanos = 0;
    windowStart = end;
    return lastShare > maxShare ? Verdict.THINNER
        : lastShare < maxShare / 4 ? Verdict.DENSER : Verdict.KEEP;
  }

  /** The learner's share of one core in the last complete window. */
  double lastShare() {
    return lastShare;
  }
}
