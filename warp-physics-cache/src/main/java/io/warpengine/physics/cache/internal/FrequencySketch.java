package io.warpengine.physics.cache.internal;

/**
 * "Mass": an estimate of how often each key was accessed recently, in a count-min sketch of
 * 4-bit counters (four rows, one counter per row per key, the minimum is the estimate).
 *
 * <p>Hawking radiation: after {@code sampleSize} increments every counter is halved, so old
 * popularity decays and the estimate follows a changing workload. Memory is fixed at about 8
 * bytes per expected entry, independent of how many keys pass through. The table is split into
 * pages smaller than half of any G1 region, so that it is never a humongous object, which G1
 * rounds up to whole regions (megabytes of heap for nothing).
 * Not thread-safe: the policy calls it under its own lock.
 */
final class FrequencySketch {

  private static final long[] SEEDS = {
      0xc3a5c85c97cb3127L, 0xb492b66fbe98f273L, 0x9ae16a3b2f90404fL, 0xcbf29ce484222325L};
  private static final long RESET_MASK = 0x7777_7777_7777_7777L;
  private static final int MAX_COUNT = 15;
  private static final int PAGE_SHIFT = 15; // 256 KiB of longs
  private static final int PAGE_MASK = (1 << PAGE_SHIFT) - 1;

  private final long[][] pages;
  private final int rowMask;
  private final int sampleSize;
  private int increments;

  /** @param expectedEntries how many keys the cache holds; sets width and decay period */
  FrequencySketch(long expectedEntries) {
    // Sixteen 4-bit counters (one long) per expected entry, rounded up to a power of two.
    long longs = Math.min(1 << 24, Math.max(8, Long.highestOneBit(Math.max(2, expectedEntries) - 1) << 1));
    int counters = (int) longs * 16;
    int pageLongs = (int) Math.min(longs, 1 << PAGE_SHIFT);
    this.pages = new long[(int) longs / pageLongs][pageLongs];
    this.rowMask = counters - 1;
    this.sampleSize = (int) Math.min(Integer.MAX_VALUE / 2, Math.max(10, 10 * expectedEntries));
  }

  /** The estimated recent access count of the key with this hash, 0 to 15. */
  int frequency(int hash) {
    int min = MAX_COUNT;
    for (int row = 0; row < SEEDS.length; row++) {
      min = Math.min(min, counter(index(hash, row)));
    }
    return min;
  }

  /** Records one access; may trigger the periodic halving. */
  void increment(int hash) {
    if (frequency(hash) == MAX_COUNT) {
      return;
    }
    // Every row grows, not only the rows at the minimum ("conservative update"): conservative
    // counts drift apart across halvings and let newcomers beat equally popular residents,
    // which cost a pure loop trace most of its hits.
    for (int row = 0; row < SEEDS.length; row++) {
      int i = index(hash, row);
      if (counter(i) < MAX_COUNT) {
        pages[i >>> (PAGE_SHIFT + 4)][(i >>> 4) & PAGE_MASK] += 1L << ((i & 15) << 2);
      }
    }
    if (++increments >= sampleSize) {
      halve();
    }
  }

  private void halve() {
    for (long[] page : pages) {
      for (int i = 0; i < page.length; i++) {
        page[i] = (page[i] >>> 1) & RESET_MASK;
      }
    }
    increments /= 2;
  }

  private int counter(int i) {
    return (int) (pages[i >>> (PAGE_SHIFT + 4)][(i >>> 4) & PAGE_MASK] >>> ((i & 15) << 2)) & 0xF;
  }

  private int index(int hash, int row) {
    long h = (hash + SEEDS[row]) * SEEDS[row];
    h ^= h >>> 32;
    return (int) h & rowMask;
  }

  static int spread(int hashCode) {
    int h = hashCode * 0x9E3779B9;
    return h ^ (h >>> 16);
  }
}
