package io.warpengine.physics.quantum.internal;

/**
 * Keeps the learner's share of one core under a cap ({@code quantum.learnerCpuShare}) by
 * deciding when the recorder's next burst opens. The learner's cost grows with the reads it is
 * handed, so the lever is the gap: how many learner passes go by, after one that found no burst
 * open, before the next burst opens. At the end of every one-second window of passes, a share
 * above the cap doubles the gap (from none to one pass, up to {@value #MAX_GAP}), a share under a
 * quarter of it halves it (back down to none: the next burst opens as soon as the learner has
 * drained the last). So on a busy engine the learner learns from fewer reads rather than taking
 * a core from the callers; the figures come from {@code System.nanoTime} around each pass.
 * Single-threaded: called under the learner's lock.
 */
final class LearnerBudget {

  /** The widest gap, in passes: about 20 s at the default learn interval. */
  static final int MAX_GAP = 1 << 10;
  private static final long WINDOW_NANOS = 1_000_000_000L;

  private final double maxShare;
  private long windowStart;
  private long busyNanos;
  private double lastShare;
  private int gap;
  private int waited;

  LearnerBudget(double maxShare, long now) {
    if (!(maxShare > 0 && maxShare <= 1)) {
      throw new IllegalArgumentException("quantum.learnerCpuShare must be in (0, 1], was " + maxShare);
    }
    this.maxShare = maxShare;
    this.windowStart = now;
  }

  /**
   * Notes a pass that ran from {@code start} to {@code end} (nanoTime) and found no burst open.
   *
   * @return whether the next burst should open now
   */
  boolean passedIdle(long start, long end) {
    passed(start, end);
    if (waited < gap) {
      waited++;
      return false;
    }
    waited = 0;
    return true;
  }

  /** Notes a pass that ran from {@code start} to {@code end} (nanoTime). */
  void passed(long start, long end) {
    busyNanos += end - start;
    long elapsed = end - windowStart;
    if (elapsed < WINDOW_NANOS) {
      return;
    }
    lastShare = (double) busyNanos / elapsed;
    busyNanos = 0;
    windowStart = end;
    if (lastShare > maxShare) {
      gap = Math.min(MAX_GAP, Math.max(1, 2 * gap));
    } else if (lastShare < maxShare / 4) {
      gap /= 2;
    }
  }

  /** The learner's share of one core in the last complete window. */
  double lastShare() {
    return lastShare;
  }

  /** Passes left idle between bursts now. */
  int gap() {
    return gap;
  }
}
