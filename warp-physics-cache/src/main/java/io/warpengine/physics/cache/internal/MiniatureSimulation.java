package io.warpengine.physics.cache.internal;

/**
 * Chooses the share of an {@link AdaptiveTinyLfu}'s budget that its window gets, by miniature
 * simulation (Waldspurger, Saemundsson, Ahmad, Park: "Cache Modeling and Optimization using
 * Miniature Simulations", USENIX ATC 2017).
 *
 * <h2>Design</h2>
 * Each candidate share in {@link #WINDOW_SHARES} has a miniature copy of the policy: an
 * {@link AdaptiveTinyLfu} with that share fixed, in entry mode, holding {@code rate} times the
 * real cache's entries, and fed only the reads of keys whose salted hash falls in the same
 * fraction {@code rate} of the hash space (SHARDS spatial sampling: a sampled key is seen with
 * all its reads, so each miniature sees a scaled-down copy of the workload and its hit rate
 * estimates the full-size one's). A miniature loads what it misses, as a read-through cache
 * does. The rate is 1 up to {@link #MINI_ENTRIES} entries, so the miniatures of a small cache
 * see every read; beyond that each miniature holds {@code MINI_ENTRIES} entries, which bounds
 * their memory (a miniature entry costs what a real one does, about 16 bytes, plus at most 8 in
 * the window queue: some 150 KiB in all, 0.15 bytes per entry of a million-entry cache) and
 * their work per read (a read of a sampled key is replayed seven times).
 *
 * <p>All miniatures see the same sampled reads, so they are compared read by read: every
 * sampled read is counted under its outcome, the set of miniatures that hit it. Every period
 * (as many sampled reads as a miniature holds entries) the counts are added to decayed totals
 * (×{@link #DECAY} a period, so that the choice follows a change of phase within some twenty
 * periods). Then a candidate replaces the chosen share only if it hit more of the reads on which
 * the two disagree, by {@link #Z} standard deviations of a sign test on those reads: a resize
 * costs hits that no miniature sees (a shrinking main evicts what it had gathered), so a lead
 * that may be noise, such as the first few hits of a cold cache, must not move the window.
 * Because every miniature warms up with the real cache, a warm-up's rising hit rate favours none
 * of them (it misled the hill climber this replaced, which saw only its own hit rate over time).
 *
 * <p>Writes that follow no read, and weights in bytes, are not simulated: the miniatures model
 * the hit rate of reads, in entries. Single-threaded, like the policy that owns it.
 */
final class MiniatureSimulation {

  /** The candidate window shares, smallest first; the first is the initial choice. */
  static final double[] WINDOW_SHARES = {0.005, 0.05, 0.2, 0.4, 0.6, 0.8, 1.0};
  /** The entries of each miniature, at most. */
  static final int MINI_ENTRIES = 1_000;
  /** What the decayed totals keep of themselves at each period's end. */
  private static final double DECAY = 0.95;
  /** How many standard deviations a candidate's lead must exceed. */
  private static final double Z = 2;
  private static final int MIN_PERIOD = 16;
  private static final int HASH_BITS = 24;

  private final AdaptiveTinyLfu[] minis = new AdaptiveTinyLfu[WINDOW_SHARES.length];
  /** Sampled reads of this period by outcome: bit i is set if miniature i hit. */
  private final long[] periodOutcomes = new long[1 << WINDOW_SHARES.length];
  /** The same, decayed and summed over the periods. */
  private final double[] outcomes = new double[1 << WINDOW_SHARES.length];
  private final int salt;
  /** A key is sampled if the top HASH_BITS of its salted hash are below this. */
  private final int threshold;
  private final long period;
  private long periodReads;
  private int chosen;

  /**
   * @param expectedEntries the real cache's entries
   * @param salt            mixed into the sampling hash, which picks the keys simulated
   */
  MiniatureSimulation(long expectedEntries, int salt) {
    this.salt = salt;
    long entries = Math.max(1, expectedEntries);
    double rate = Math.min(1, (double) MINI_ENTRIES / entries);
    this.threshold = (int) Math.ceil(rate * (1 << HASH_BITS));
    long miniEntries = Math.max(1, Math.round(entries * rate));
    for (int i = 0; i < minis.length; i++) {
      minis[i] = new AdaptiveTinyLfu(miniEntries, WINDOW_SHARES[i]);
    }
    this.period = Math.max(MIN_PERIOD, miniEntries);
  }

  /** The share the real window should have now. */
  double windowShare() {
    return WINDOW_SHARES[chosen];
  }

  /** A read the real cache saw; says whether {@link #windowShare()} changed. */
  boolean recordRead(String key) {
    if (!sampled(key)) {
      return false;
    }
    int outcome = 0;
    for (int i = 0; i < minis.length; i++) {
      if (minis[i].recordRead(key)) {
        outcome |= 1 << i;
      } else {
        minis[i].recordWrite(key, 1, false);
      }
    }
    periodOutcomes[outcome]++;
    if (++periodReads < period) {
      return false;
    }
    periodReads = 0;
    for (int o = 0; o < outcomes.length; o++) {
      outcomes[o] = DECAY * outcomes[o] + periodOutcomes[o];
      periodOutcomes[o] = 0;
    }
    return choose();
  }

  /** The candidate with the largest significant lead over the chosen share, if any. */
  private boolean choose() {
    int best = chosen;
    double bestLead = 0;
    for (int i = 0; i < minis.length; i++) {
      double onlyCandidate = 0;
      double onlyChosen = 0;
      for (int o = 0; o < outcomes.length; o++) {
        int candidateHit = o >>> i & 1;
        int chosenHit = o >>> chosen & 1;
        if (candidateHit > chosenHit) {
          onlyCandidate += outcomes[o];
        } else if (candidateHit < chosenHit) {
          onlyChosen += outcomes[o];
        }
      }
      double lead = onlyCandidate - onlyChosen;
      if (lead > bestLead && lead > Z * Math.sqrt(onlyCandidate + onlyChosen)) {
        best = i;
        bestLead = lead;
      }
    }
    boolean changed = best != chosen;
    chosen = best;
    return changed;
  }

  /** A key the real cache no longer holds: a later read of it misses in every miniature too. */
  void recordRemoval(String key) {
    if (sampled(key)) {
      for (AdaptiveTinyLfu mini : minis) {
        mini.recordRemoval(key);
      }
    }
  }

  private boolean sampled(String key) {
    // murmur3's finaliser: unrelated to the spreading that places keys in tables and sketches.
    int h = key.hashCode() ^ salt;
    h = (h ^ (h >>> 16)) * 0x85EB_CA6B;
    h = (h ^ (h >>> 13)) * 0xC2B2_AE35;
    h ^= h >>> 16;
    return (h >>> (32 - HASH_BITS)) < threshold;
  }
}
