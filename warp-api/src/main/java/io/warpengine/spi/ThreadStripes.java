package io.warpengine.spi;

/**
 * A tool for plugin hooks: spreads the calling threads over a power-of-two number of stripes,
 * so that per-stripe counters or buffers are rarely shared by two threads, without the lookup a
 * {@code ThreadLocal} costs on every call. A thread's stripe comes from its id (mixed, so that
 * consecutive ids spread), so it never changes; two threads may share one.
 */
public final class ThreadStripes {

  /**
   * Longs per cache line, and then some (adjacent-line prefetch): give each stripe's counter
   * this stride in a {@code long[]} so that stripes do not share a line.
   */
  public static final int LINE_LONGS = 16;

  private ThreadStripes() {}

  /** A sensible stripe count: four per available processor, rounded up to a power of two. */
  public static int count() {
    return Integer.highestOneBit(Math.max(1, Runtime.getRuntime().availableProcessors() * 4 - 1)) << 1;
  }

  /** The current thread's stripe among {@code mask + 1} (a power of two). Hot path. */
  public static int current(int mask) {
    long x = Thread.currentThread().threadId() * 0x9E3779B97F4A7C15L;
    return (int) (x ^ (x >>> 32)) & mask;
  }
}
