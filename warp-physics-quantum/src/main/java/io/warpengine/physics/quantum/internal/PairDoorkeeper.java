package io.warpengine.physics.quantum.internal;

import java.util.Arrays;

/**
 * The learner's doorkeeper (as the one in front of TinyLFU's sketch): a pair of keys reaches the
 * link graph only on its second co-read within the current period; the first marks the pair in
 * a bit set. Under a broad workload most co-reads are chance pairs that never come again: they
 * then cost two bits each instead of link-graph entries for both keys (memory the collector
 * would have to copy and the decay to walk). A pair read together again and again loses one
 * reinforcement per period.
 *
 * <p>2<sup>22</sup> bits (512 KiB), two per pair from independent hashes (a Bloom filter with
 * two functions): a pair whose two bits other pairs set passes at its first co-read, a chance
 * of about f<sup>2</sup> when a fraction f of the bits is set. So the door clears itself once an
 * eighth of its bits are set, after about 290,000 first sightings: about 1 chance pair in 64
 * passes at the end of a period, 1 in 110 over it. (With one bit per pair and a clear at a
 * sixteenth, 1 in 16 passed at the end and 1 in 20 over it, and under uniform reads of a million
 * keys those chance pairs were nearly all of the link graph.)
 *
 * <p>Learner thread only (the plugin calls it under its learn lock).
 */
final class PairDoorkeeper {

  private static final int BITS = 1 << 22;
  private static final int INDEX_SHIFT = Long.SIZE - Integer.numberOfTrailingZeros(BITS);
  private static final int MAX_SET = BITS / 8;
  private final long[] words = new long[BITS / Long.SIZE];
  private long held;
  private int set;
  private long resets;

  /** Whether the pair was seen since the last {@link #clear}; marks it seen. */
  boolean seenBefore(String a, String b) {
    int ha = a.hashCode();
    int hb = b.hashCode();
    long pair = ha < hb ? ((long) ha << 32) | (hb & 0xFFFF_FFFFL)
        : ((long) hb << 32) | (ha & 0xFFFF_FFFFL); // the same for (a, b) and (b, a)
    int first = index(pair * 0x9E37_79B9_7F4A_7C15L);
    int second = index(pair * 0xC2B2_AE3D_27D4_EB4FL);
    if (isSet(first) && isSet(second)) {
      return true;
    }
    set += mark(first) + mark(second);
    held++;
    if (set >= MAX_SET) {
      clear();
      resets++;
    }
    return false;
  }

  /** A bit index from the high bits of a multiplicative hash, folded to mix in the low ones. */
  private static int index(long h) {
    return (int) ((h ^ (h >>> 29)) >>> INDEX_SHIFT);
  }

  private boolean isSet(int bit) {
    return (words[bit >>> 6] & (1L << bit)) != 0;
  }

  /** Sets {@code bit}; 1 if it was clear. */
  private int mark(int bit) {
    long before = words[bit >>> 6];
    words[bit >>> 6] = before | (1L << bit);
    return (int) ((~before >>> bit) & 1);
  }

  /** Starts a new period: every pair needs two co-reads again. */
  void clear() {
    Arrays.fill(words, 0);
    set = 0;
  }

  /** Times the door cleared itself because it was filling up. */
  long resets() {
    return resets;
  }

  /** Co-reads held at the door (first sightings) so far. */
  long held() {
    return held;
  }
}
