package io.warpengine.physics.cache.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The event horizon's policy: which entries stay inside a weight budget. Single-threaded; the
 * plugin feeds it recorded events under one lock, off the engine's hot path.
 *
 * <h2>Design</h2>
 * Window TinyLFU (Einziger, Friedman, Manes), adaptive:
 * <ul>
 *   <li>A new entry enters the <em>window</em>, an LRU list. Recency-friendly workloads live
 *       here.</li>
 *   <li>Entries leaving the window compete to enter the <em>main</em> region, a segmented LRU
 *       (probation, then protected once hit again). The window's oldest entry is admitted only
 *       if its mass — its decayed frequency from the {@link FrequencySketch} — is higher than
 *       that of main's next victim. A scan of cold keys therefore passes through the small
 *       window without flushing the hot set.</li>
 *   <li>A hill climber resizes the window every sample period: if the hit rate went up since
 *       the last change it keeps going the same way, otherwise it turns, with a shrinking step,
 *       and restarts with a large step when the hit rate jumps (a new phase of the workload).
 *       So the policy moves towards LRU on recency-biased traces and towards LFU on scans and
 *       loops.</li>
 *   <li>{@code CRITICAL} writes are pinned: they count against the budget but are not chosen
 *       while anything unpinned is left to evict.</li>
 * </ul>
 */
final class AdaptiveTinyLfu {

  /** Called for each entry the policy pushes out; says whether the entry was still there. */
  interface Evictor {
    boolean evict(String key, long weight);
  }

  private static final byte WINDOW = 0;
  private static final byte PROBATION = 1;
  private static final byte PROTECTED = 2;
  private static final byte PINNED = 3;

  private static final double INITIAL_WINDOW = 0.01;
  private static final double PROTECTED_SHARE = 0.80;
  private static final double STEP = 0.0625;
  private static final double STEP_DECAY = 0.90;
  private static final double RESTART_THRESHOLD = 0.02;
  private static final int ADMIT_HASHDOS_THRESHOLD = 6;

  private static final class Node {
    final String key;
    final int hash;
    long weight;
    byte region;
    Node prev;
    Node next;

    Node(String key, int hash, long weight, byte region) {
      this.key = key;
      this.hash = hash;
      this.weight = weight;
      this.region = region;
    }
  }

  /** A doubly linked list with a sentinel; head.next is the least recently used. */
  private static final class Lru {
    final Node head = new Node(null, 0, 0, (byte) -1);
    long weight;

    Lru() {
      head.prev = head;
      head.next = head;
    }

    boolean isEmpty() {
      return head.next == head;
    }

    Node eldest() {
      return head.next == head ? null : head.next;
    }

    void addNewest(Node n) {
      n.prev = head.prev;
      n.next = head;
      head.prev.next = n;
      head.prev = n;
      weight += n.weight;
    }

    void remove(Node n) {
      n.prev.next = n.next;
      n.next.prev = n.prev;
      n.prev = null;
      n.next = null;
      weight -= n.weight;
    }
  }

  private final Map<String, Node> nodes = new HashMap<>();
  private final Lru window = new Lru();
  private final Lru probation = new Lru();
  private final Lru protectedLru = new Lru();
  private final Lru pinned = new Lru();
  private final FrequencySketch sketch;
  private final SplittableRandom random = new SplittableRandom(0x5EED);
  private final Evictor evictor;
  private final long maximum;
  private final long sampleSize;

  private long windowMaximum;
  private long protectedMaximum;

  private long sampleHits;
  private long sampleMisses;
  private double previousHitRate;
  private double stepSize;

  private long evictions;
  private long staleEvictions;
  private long admissionRejections;

  /**
   * @param maximum         the budget, in the same unit as the weights (entries or bytes)
   * @param expectedEntries how many entries the budget holds, to size the sketch
   */
  AdaptiveTinyLfu(long maximum, long expectedEntries, Evictor evictor) {
    this.maximum = maximum;
    this.evictor = evictor;
    this.sketch = new FrequencySketch(expectedEntries);
    this.sampleSize = Math.max(100, 10 * expectedEntries);
    this.windowMaximum = Math.max(1, (long) (maximum * INITIAL_WINDOW));
    this.protectedMaximum = (long) ((maximum - windowMaximum) * PROTECTED_SHARE);
    this.stepSize = -STEP * maximum;
  }

  /**
   * A read of {@code key}. A hit adds to the key's mass; a miss does not, because the write
   * that usually follows a miss (the caller loading the value) does: one access, one count.
   */
  void recordRead(String key) {
    Node n = nodes.get(key);
    if (n == null) {
      sampleMisses++;
    } else {
      sampleHits++;
      sketch.increment(n.hash);
      onHit(n);
    }
    climb();
  }

  /** A write of {@code key} with this weight; {@code pin} keeps it inside while others can go. */
  void recordWrite(String key, long weight, boolean pin) {
    int hash = FrequencySketch.spread(key.hashCode());
    sketch.increment(hash);
    Node n = nodes.get(key);
    if (n != null) {
      listOf(n.region).remove(n);
      n.weight = weight;
      n.region = pin ? PINNED : n.region == PINNED ? WINDOW : n.region;
      listOf(n.region).addNewest(n);
    } else {
      n = new Node(key, hash, weight, pin ? PINNED : WINDOW);
      nodes.put(key, n);
      listOf(n.region).addNewest(n);
    }
    evict();
  }

  /** {@code key} left the engine (deleted, or evicted by someone else). */
  void recordRemoval(String key) {
    Node n = nodes.remove(key);
    if (n != null) {
      listOf(n.region).remove(n);
    }
  }

  private void onHit(Node n) {
    switch (n.region) {
      case WINDOW, PROTECTED, PINNED -> {
        Lru list = listOf(n.region);
        list.remove(n);
        list.addNewest(n);
      }
      case PROBATION -> {
        probation.remove(n);
        n.region = PROTECTED;
        protectedLru.addNewest(n);
        demoteProtectedOverflow();
      }
      default -> throw new IllegalStateException("unknown region " + n.region);
    }
  }

  private void demoteProtectedOverflow() {
    while (protectedLru.weight > protectedMaximum && !protectedLru.isEmpty()) {
      Node eldest = protectedLru.eldest();
      protectedLru.remove(eldest);
      eldest.region = PROBATION;
      probation.addNewest(eldest);
    }
  }

  /** Moves the window's overflow into probation, then evicts until the budget holds. */
  private void evict() {
    Node firstCandidate = null;
    while (window.weight > windowMaximum && !window.isEmpty()) {
      Node n = window.eldest();
      window.remove(n);
      n.region = PROBATION;
      probation.addNewest(n);
      if (firstCandidate == null) {
        firstCandidate = n;
      }
    }
    // Candidates sit at probation's newest end, victims are taken from its eldest end.
    Node candidate = firstCandidate;
    while (weight() > maximum) {
      Node victim = probation.eldest();
      if (victim == null || victim == candidate && candidate.next == probation.head) {
        if (!evictFallback()) {
          return;
        }
        continue;
      }
      if (candidate == null || candidate == victim) {
        remove(victim);
        if (candidate == victim) {
          candidate = null;
        }
        continue;
      }
      Node nextCandidate = candidate.next == probation.head ? null : candidate.next;
      if (admit(candidate.hash, victim.hash)) {
        remove(victim);
      } else {
        admissionRejections++;
        remove(candidate);
      }
      candidate = nextCandidate;
    }
  }

  /** Probation is empty: take from protected, then the window, then pinned entries. */
  private boolean evictFallback() {
    for (Lru list : new Lru[] {probation, protectedLru, window, pinned}) {
      Node n = list.eldest();
      if (n != null) {
        remove(n);
        return true;
      }
    }
    return false;
  }

  private boolean admit(int candidateHash, int victimHash) {
    int candidateFreq = sketch.frequency(candidateHash);
    int victimFreq = sketch.frequency(victimHash);
    if (candidateFreq > victimFreq) {
      return true;
    }
    // A candidate as warm as its victim is sometimes let in, so that an attacker cannot keep
    // a victim inside forever by colliding with it in the sketch.
    return candidateFreq >= ADMIT_HASHDOS_THRESHOLD && random.nextInt(128) == 0;
  }

  private void remove(Node n) {
    listOf(n.region).remove(n);
    nodes.remove(n.key);
    if (evictor.evict(n.key, n.weight)) {
      evictions++;
    } else {
      staleEvictions++;
    }
  }

  private void climb() {
    long sampled = sampleHits + sampleMisses;
    if (sampled < sampleSize) {
      return;
    }
    double hitRate = (double) sampleHits / sampled;
    double change = hitRate - previousHitRate;
    double amount = change >= 0 ? stepSize : -stepSize;
    stepSize = Math.abs(change) >= RESTART_THRESHOLD
        ? STEP * maximum * Math.signum(amount) : STEP_DECAY * amount;
    previousHitRate = hitRate;
    sampleHits = 0;
    sampleMisses = 0;
    resizeWindow((long) amount);
  }

  private void resizeWindow(long delta) {
    long unpinned = Math.max(1, maximum - pinned.weight);
    windowMaximum = Math.clamp(windowMaximum + delta, 1, unpinned);
    protectedMaximum = (long) ((unpinned - windowMaximum) * PROTECTED_SHARE);
    demoteProtectedOverflow();
    evict();
  }

  private Lru listOf(byte region) {
    return switch (region) {
      case WINDOW -> window;
      case PROBATION -> probation;
      case PROTECTED -> protectedLru;
      case PINNED -> pinned;
      default -> throw new IllegalStateException("unknown region " + region);
    };
  }

  long weight() {
    return window.weight + probation.weight + protectedLru.weight + pinned.weight;
  }

  int size() {
    return nodes.size();
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
