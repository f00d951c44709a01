package io.warpengine.physics.cache.internal;

import java.util.ArrayDeque;
import java.util.SplittableRandom;

/**
 * The event horizon's policy: which entries stay inside a weight budget. Single-threaded; the
 * plugin feeds it recorded events under one lock, off the engine's hot path.
 *
 * <h2>Design</h2>
 * Window TinyLFU (Einziger, Friedman, Manes), adaptive, with CLOCK in place of linked LRU lists
 * so that an entry costs a few bytes of arrays and no object (see {@link KeyTable}):
 * <ul>
 *   <li>A new entry enters the <em>window</em>, a FIFO queue of keys with a second chance: an
 *       entry referenced while in it goes round once more, which approximates LRU. Recency-
 *       friendly workloads live here.</li>
 *   <li>Entries leaving the window compete to enter the <em>main</em> region. Its next victim
 *       is chosen by a CLOCK hand sweeping the table's slots: each main entry has a use count of
 *       0 to 4, set to 4 by a hit and lowered by each pass of the hand, which takes the first
 *       entry at 0 — so an entry hit since it was last looked at survives four sweeps (the
 *       role of SLRU's protected segment: with 3, a scan of 50 times the hot set aged a tenth
 *       of it out, see EventHorizonPluginTest; with 5 or more, the recency-friendly sprite
 *       trace lost up to 1.5 points of hit rate). The window's entry is admitted only if its mass — its decayed
 *       frequency from the {@link FrequencySketch} — is higher than the victim's; otherwise it
 *       is evicted and the hand stays on the same victim. A scan of cold keys therefore passes
 *       through the small window without flushing the hot set.</li>
 *   <li>The window's share of the budget is chosen by {@link MiniatureSimulation}: miniature
 *       copies of this policy, each with one candidate share fixed, replay a spatial sample of
 *       the reads, and the window takes the share of the copy that recently hit significantly
 *       more. So the policy moves towards LRU on recency-biased traces (a window of up to the
 *       whole budget) and towards LFU on scans and loops (half a per cent).</li>
 *   <li>{@code CRITICAL} writes are pinned: they count against the budget but are not chosen
 *       while anything unpinned is left to evict.</li>
 * </ul>
 * The window queue holds keys, not slots, because removals move slots; a key deleted while in
 * the window stays in the queue until it reaches the head (or the queue is compacted), and is
 * skipped because the table no longer says it is in the window.
 */
final class AdaptiveTinyLfu {

  /** Called for each entry the policy pushes out; says whether the entry was still there. */
  interface Evictor {
    boolean evict(String key, long weight);
  }

  // A slot's state: the region in the low two bits, the use count (0..MAX_USES) above them.
  private static final int WINDOW = 0;
  private static final int MAIN = 1;
  private static final int PINNED = 2;
  private static final int REGION_MASK = 3;
  private static final int USES_SHIFT = 2;
  private static final int MAX_USES = 4;
  /** Set only while the window queue is compacted: this key's copy has been kept. */
  private static final int KEPT_MARK = 1 << 5;

  /** Mixed into the sampling hash of the miniature simulations. */
  private static final int DEFAULT_SAMPLE_SALT = 0x5A17_C0DE;
  private static final int ADMIT_HASHDOS_THRESHOLD = 6;

  private final KeyTable table;
  private final ArrayDeque<String> windowQueue = new ArrayDeque<>();
  private final long[] regionWeight = new long[3];
  private final int[] regionCount = new int[3];
  private final FrequencySketch sketch;
  private final SplittableRandom random = new SplittableRandom(0x5EED);
  private final Evictor evictor;
  private final long maximum;
  /** Chooses the window's share; null in a miniature copy, whose share is fixed. */
  private final MiniatureSimulation simulation;

  /** The CLOCK hand: a slot of the table, still one after it grows (it never shrinks). */
  private int hand;
  private long windowMaximum;

  private long recordedReads;
  private long evictions;
  private long staleEvictions;
  private long admissionRejections;

  /**
   * @param maximum         the budget, in the same unit as the weights (entries or bytes)
   * @param expectedEntries how many entries the budget holds, to size the table and sketch
   * @param weighted        whether weights vary (bytes) or are all 1 (entries)
   */
  AdaptiveTinyLfu(long maximum, long expectedEntries, boolean weighted, Evictor evictor) {
    this(maximum, expectedEntries, weighted, evictor, DEFAULT_SAMPLE_SALT);
  }

  /** As above, with the salt of the hash that picks the keys the miniature simulations see. */
  AdaptiveTinyLfu(long maximum, long expectedEntries, boolean weighted, Evictor evictor,
                  int sampleSalt) {
    this(maximum, expectedEntries, weighted, evictor,
        new MiniatureSimulation(expectedEntries, sampleSalt));
  }

  /** A miniature copy: entry mode, evicting into nothing, its window fixed at this share. */
  AdaptiveTinyLfu(long maximum, double windowShare) {
    this(maximum, maximum, false, (key, weight) -> true, null);
    resizeWindow(windowShare);
  }

  private AdaptiveTinyLfu(long maximum, long expectedEntries, boolean weighted, Evictor evictor,
                          MiniatureSimulation simulation) {
    this.maximum = maximum;
    this.evictor = evictor;
    // One more than the budget: a write is tracked before the eviction it causes.
    this.table = new KeyTable(expectedEntries + 1, weighted);
    this.sketch = new FrequencySketch(expectedEntries);
    this.simulation = simulation;
    if (simulation != null) {
      resizeWindow(simulation.windowShare());
    }
  }

  /**
   * A read of {@code key}. A hit adds to the key's mass; a miss does not, because the write
   * that usually follows a miss (the caller loading the value) does: one access, one count.
   * Returns whether it was a hit (a miniature copy, which loads what it misses, needs to know).
   */
  boolean recordRead(String key) {
    recordedReads++;
    int slot = table.find(key);
    if (slot >= 0) {
      sketch.increment(FrequencySketch.spread(key.hashCode()));
      use(slot);
    }
    if (simulation != null && simulation.recordRead(key)) {
      resizeWindow(simulation.windowShare());
    }
    return slot >= 0;
  }

  /** A write of {@code key} with this weight; {@code pin} keeps it inside while others can go. */
  void recordWrite(String key, long weight, boolean pin) {
    sketch.increment(FrequencySketch.spread(key.hashCode()));
    int slot = table.find(key);
    if (slot >= 0) {
      int region = region(slot);
      int now = pin ? PINNED : region == PINNED ? WINDOW : region;
      if (now == region) {
        regionWeight[region] += weight - table.weight(slot);
        table.weight(slot, weight);
        use(slot);
      } else {
        leave(slot, region);
        table.weight(slot, weight);
        enter(slot, now);
        if (now == WINDOW) {
          enqueueWindow(key);
        }
      }
    } else {
      int region = pin ? PINNED : WINDOW;
      enter(table.insert(key, (byte) region, weight), region);
      if (region == WINDOW) {
        enqueueWindow(key);
      }
    }
    evict();
  }

  /** {@code key} left the engine (deleted, or evicted by someone else). */
  void recordRemoval(String key) {
    if (simulation != null) {
      simulation.recordRemoval(key);
    }
    int slot = table.find(key);
    if (slot >= 0) {
      leave(slot, region(slot));
      table.remove(slot);
    }
  }

  private int region(int slot) {
    return table.state(slot) & REGION_MASK;
  }

  private int uses(int slot) {
    return table.state(slot) >>> USES_SHIFT;
  }

  private void setState(int slot, int region, int uses) {
    table.state(slot, (byte) (region | uses << USES_SHIFT));
  }

  /** A hit: a window entry gets its second chance, a main entry survives MAX_USES sweeps. */
  private void use(int slot) {
    int region = region(slot);
    setState(slot, region, region == MAIN ? MAX_USES : 1);
  }

  private void enter(int slot, int region) {
    setState(slot, region, 0);
    regionWeight[region] += table.weight(slot);
    regionCount[region]++;
  }

  private void leave(int slot, int region) {
    regionWeight[region] -= table.weight(slot);
    regionCount[region]--;
  }

  private void enqueueWindow(String key) {
    if (windowQueue.size() > 2 * regionCount[WINDOW] + 16) {
      compactWindowQueue();
    }
    windowQueue.add(key);
  }

  /**
   * Keys that left the window early (deleted, pinned) stay queued until they reach the head, and
   * a key deleted and written again is queued twice. Before such copies outnumber the live ones
   * (a delete-and-put loop under a large budget would grow the queue without end), keep one copy
   * of each key still in the window, its oldest, and drop the rest.
   */
  private void compactWindowQueue() {
    windowQueue.removeIf(k -> {
      int slot = table.find(k);
      if (slot < 0 || region(slot) != WINDOW || (table.state(slot) & KEPT_MARK) != 0) {
        return true;
      }
      table.state(slot, (byte) (table.state(slot) | KEPT_MARK));
      return false;
    });
    for (String k : windowQueue) {
      int slot = table.find(k);
      table.state(slot, (byte) (table.state(slot) & ~KEPT_MARK));
    }
  }

  /** The window queue's length, copies included (at most twice the window's entries + 17). */
  int windowQueueLength() {
    return windowQueue.size();
  }

  /**
   * Takes the window's next entry out of its queue: the oldest one not referenced since it was
   * queued (referenced ones go round once more). Returns its slot, or -1 if the window is empty.
   */
  private int pollWindow() {
    for (String key; (key = windowQueue.poll()) != null; ) {
      int slot = table.find(key);
      if (slot < 0 || region(slot) != WINDOW) {
        continue; // left the window while queued
      }
      if (uses(slot) > 0) {
        setState(slot, WINDOW, 0);
        windowQueue.add(key);
        continue;
      }
      return slot;
    }
    return -1;
  }

  /** Moves the window's overflow into main, each entry competing with main's victim. */
  private void evict() {
    while (regionWeight[WINDOW] > windowMaximum) {
      int slot = pollWindow();
      if (slot < 0) {
        break;
      }
      leave(slot, WINDOW);
      enter(slot, MAIN);
      // CLOCK would insert behind the hand, to be looked at after a full sweep; here the slot is
      // where the hash puts it, so an entry the hand reaches within half a sweep gets a second.
      int ahead = Math.floorMod(slot - hand, table.capacity());
      setState(slot, MAIN, ahead < table.capacity() / 2 ? 1 : 0);
      if (weight() > maximum) {
        contest(table.key(slot));
      }
    }
    while (weight() > maximum) {
      if (!evictAny()) {
        return;
      }
    }
  }

  /** The candidate, just moved into main, against main's victims while over budget. */
  private void contest(String candidate) {
    while (weight() > maximum) {
      int c = table.find(candidate);
      int victim = mainVictim(c);
      if (victim < 0) {
        return;
      }
      String victimKey = table.key(victim);
      if (admit(candidate, victimKey)) {
        remove(victim);
      } else {
        admissionRejections++;
        remove(c);
        return;
      }
    }
  }

  /**
   * The CLOCK hand's next main entry whose use count is 0, lowering the counts it passes; the
   * hand stays on it. Skips {@code exclude}; -1 if main has no other entry.
   */
  private int mainVictim(int exclude) {
    int others = regionCount[MAIN] - (exclude >= 0 ? 1 : 0);
    if (others <= 0) {
      return -1;
    }
    for (; ; hand = table.next(hand)) {
      if (table.key(hand) == null || hand == exclude || region(hand) != MAIN) {
        continue;
      }
      int uses = uses(hand);
      if (uses == 0) {
        return hand;
      }
      setState(hand, MAIN, uses - 1);
    }
  }

  /** Over budget with no contest left: main's victim, else the window's, else a pinned entry. */
  private boolean evictAny() {
    int slot = mainVictim(-1);
    if (slot < 0) {
      slot = pollWindow();
    }
    if (slot < 0 && regionCount[PINNED] > 0) {
      slot = 0;
      while (table.key(slot) == null || region(slot) != PINNED) {
        slot++;
      }
    }
    if (slot < 0) {
      return false;
    }
    remove(slot);
    return true;
  }

  private boolean admit(String candidate, String victim) {
    int candidateFreq = sketch.frequency(FrequencySketch.spread(candidate.hashCode()));
    int victimFreq = sketch.frequency(FrequencySketch.spread(victim.hashCode()));
    if (candidateFreq > victimFreq) {
      return true;
    }
    // A candidate as warm as its victim is sometimes let in, so that an attacker cannot keep
    // a victim inside forever by colliding with it in the sketch.
    return candidateFreq >= ADMIT_HASHDOS_THRESHOLD && random.nextInt(128) == 0;
  }

  private void remove(int slot) {
    String key = table.key(slot);
    long weight = table.weight(slot);
    leave(slot, region(slot));
    table.remove(slot);
    if (evictor.evict(key, weight)) {
      evictions++;
    } else {
      staleEvictions++;
    }
  }

  /** Gives the window this share of the budget, moving its overflow into main. */
  private void resizeWindow(double share) {
    windowMaximum = Math.max(1, (long) (maximum * share));
    evict();
  }

  long weight() {
    return regionWeight[WINDOW] + regionWeight[MAIN] + regionWeight[PINNED];
  }

  int size() {
    return table.size();
  }

  /** Reads the policy was given: the rest of the engine's reads were dropped by the buffer. */
  long recordedReads() {
    return recordedReads;
  }

  long evictions() {
    return evictions;
  }

  long admissionRejections() {
    return admissionRejections;
  }

  /** Evictions of keys that were already gone from the engine (the policy learned it late). */
  long staleEvictions() {
    return staleEvictions;
  }

  double windowShare() {
    return (double) windowMaximum / maximum;
  }
}
