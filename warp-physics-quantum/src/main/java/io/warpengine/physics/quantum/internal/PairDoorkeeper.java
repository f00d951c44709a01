package io.warpengine.physics.quantum.internal;

import java.util.Arrays;

/**
 * The learner's doorkeeper (as the one in front of TinyLFU's sketch): a pair of keys reaches the
 * link graph only on its second co-read within the current period; the first sets one bit.
 * Under a broad workload most co-reads are chance pairs that never come again: they then cost
 * a bit each instead of link-graph entries for both keys (memory the collector would have to
 * copy and the decay to walk). A pair read together again and again loses one reinforcement per
 * period. 2<sup>22</sup> bits (512 KiB), one per pair: a pair whose bit another pair set passes
 * at its first co-read, so the door clears itself once a sixteenth of its bits are set (at most
 * 1 chance pair in 16 passes; a uniform stream of a million keys had filled a third of them
 * before the period's end, and the chance pairs it let through were most of the link graph).
 * Learner thread only (the plugin calls it under its learn lock).
 */
final class PairDoorkeeper {

  private static final int BITS = 1 << 22;
  private final long[] words = new long[BITS / Long.SIZE];
  private static final int MAX_SET = BITS / 16;
  private long held;
  private int set;
  private long resets;

  /** Whether the pair was seen since the last {@link #clear}; marks it seen. */
  boolean seenBefore(String a, String b) {
    int ha = a.hashCode();
    int hb = b.hashCode();
    long pair = ha < hb ? ((long) ha << 32) | (hb & 0xFFFF_FFFFL)
        : ((long) hb << 32) | (ha & 0xFFFF_FFFFL); // the same for (a, b) and (b, a)
    long h = pair * 0x9E37_79B9_7F4A_7C15L;
    int bit = (int) ((h ^ (h >>> 29)) >>> 42); // 22 bits
    long mask = 1L << (bit & (Long.SIZE - 1));
    int word = bit >>> 6;
    if ((words[word] & mask) != 0) {
      return true;
    }
    words[word] |= mask;
    held++;
    if (++set == MAX_SET) {
      clear();
      resets++;
    }
    return false;
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
