package io.warpengine.physics.quantum.internal;

/**
 * Decides when the recorder's next burst opens, under two caps: the learner's share of one
 * core ({@code quantum.learnerCpuShare}) and the share of the engine's reads that bursts record
 * ({@code quantum.sampleShare}).
 *
 * <p>The learner's cost grows with the reads it is handed, so its lever is the gap: how many
 * learner passes go by, after one that found no burst open, before the next burst opens. At
 * the end of every one-second window of passes, a share above the cap doubles the gap (from
 * none to one pass, up to {@value #MAX_GAP}), a share under a quarter of it halves it (back down
 * to none: the next burst opens as soon as the learner has drained the last). So on a busy
 * engine the learner learns from fewer reads rather than taking a core from the callers; the
 * figures come from {@code System.nanoTime} around each pass.
 *
 * <p>The readers pay for every read they record, on their own threads, so a cheap learner must
 * not make them record more: once the gap has gone by, the next burst also waits until the
 * reads since the last one opened are enough that the reads it recorded are at most the sample
 * share of them (with the default 0.02 and bursts of 1,024 reads, one burst per 51,200 reads
 * of a single reader).
 *
 * <p>Single-threaded: called under the learner's lock.
 */
final class LearnerBudget {

  /** The widest gap, in passes: about 20 s at the default learn interval. */
  static final int MAX_GAP = 1 << 10;
  private static final long WINDOW_NANOS = 1_000_000_000L;

  private final double maxShare;
  private final double maxSampleShare;
  /** The engine's reads, and the reads recorded so far, when the last burst opened. */
  private long readsAtOpen;
  private long sampledAtOpen;
  private long windowStart;
  private long busyNanos;
  private double lastShare;
  private int gap;
  private int waited;

  /**
   * A budget whose first burst is open from the start, when the engine has served no read and
   * the recorder has recorded none.
   */
  LearnerBudget(double maxShare, double maxSampleShare, long now) {
    this.maxShare = share(maxShare, "quantum.learnerCpuShare");
    this.maxSampleShare = share(maxSampleShare, "quantum.sampleShare");
    this.windowStart = now;
  }

  private static double share(double value, String name) {
    if (!(value > 0 && value <= 1)) {
      throw new IllegalArgumentException(name + " must be in (0, 1], was " + value);
    }
    return value;
  }

  /**
   * Notes a pass that ran from {@code start} to {@code end} (nanoTime) and found no burst open.
   *
   * @param reads the engine's reads so far
   * @param sampled the reads recorded so far (all of them drained: no burst is open)
   * @return whether the next burst should open now; if so, it counts as opened
   */
  boolean passedIdle(long start, long end, long reads, long sampled) {
    passed(start, end);
    if (waited < gap) {
      waited++;
      return false;
    }
    // Too few reads since the last burst opened: wait, keeping `waited`, so that the next pass
    // checks the reads again rather than waiting out the gap anew.
    if ((sampled - sampledAtOpen) > maxSampleShare * (reads - readsAtOpen)) {
      return false;
    }
    waited = 0;
    readsAtOpen = reads;
    sampledAtOpen = sampled;
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
