package io.warpengine.physics.quantum.internal;

import io.warpengine.physics.quantum.LinkSource;
import io.warpengine.physics.quantum.Partner;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.StampedLock;

/**
 * The explicit and learned links between keys, both symmetric.
 *
 * <h2>Concurrency</h2>
 * Each key maps to an immutable set of its partners, replaced whole on every change
 * (copy-on-write). Explicit links change under a {@link StampedLock}'s write lock, both
 * directions at once; a reader takes an optimistic stamp, reads, and validates it, falling back
 * to the read lock only if a writer got in between. So readers do not lock in the common case,
 * and an explicit link appears and disappears atomically as seen from either end.
 * {@code EntanglementConcurrencyTest} checks every pair's history for linearizability (it fails
 * at once if writers race); the window the validation closes, between a writer's two stores, is
 * too short for a black-box test to hit, so that part rests on the lock's guarantee.
 *
 * <p>Learned links belong to the learner's thread, which edits its own mutable copy in place
 * (no allocation per co-read) and, at the end of each pass, publishes an immutable snapshot of
 * every key it changed. They carry no pairwise promise: the two directions of a learned link are
 * published one after the other.
 *
 * <h2>Bounds</h2>
 * A key keeps at most {@code topK} learned partners (the weakest gives way to a candidate at
 * least as strong), and the graph at most {@code maxLearnedLinks} learned directions in all; a new
 * link beyond the cap is refused and counted until decay frees room.
 */
final class LinkGraph {

  /** One key's learned partners as readers see them, strongest first; immutable. */
  private record Learned(String[] keys, float[] strengths) {
    static final Learned NONE = new Learned(new String[0], new float[0]);
  }

  private final ConcurrentHashMap<String, Map<String, Double>> explicit = new ConcurrentHashMap<>();
  private final StampedLock explicitLock = new StampedLock();
  /** What readers see of the learned links: an immutable snapshot per key. */
  private final ConcurrentHashMap<String, Learned> learned = new ConcurrentHashMap<>();
  /** The learner's own, mutable copy, and the keys changed since the last publish. */
  private final HashMap<String, Working> working = new HashMap<>();
  private final HashSet<String> dirty = new HashSet<>();
  private final int topK;
  private final long maxLearnedLinks;
  /**
   * Counts, read by {@link #metrics} on any thread (hence volatile, each with one writer at a
   * time): learned links and refusals change in the learner's passes (one at a time, under its
   * lock), explicit links under the explicit write lock.
   */
  private volatile long learnedLinks;
  private volatile long refusedByCap;
  private volatile long explicitLinks;
  /** Size of {@link #encodeExplicit()}'s result; guarded by the write lock. */
  private long explicitEncodedBytes = ENCODING_HEADER_BYTES;

  private static final byte ENCODING_VERSION = 1;
  private static final int ENCODING_HEADER_BYTES = 1 + 4;

  LinkGraph(int topK, long maxLearnedLinks) {
    this.topK = topK;
    this.maxLearnedLinks = maxLearnedLinks;
  }

  // ------------------------------------------------------------------ explicit

  /** Sets the explicit link; returns the strength it replaced, or null. */
  Double entangle(String a, String b, double strength) {
    long stamp = explicitLock.writeLock();
    try {
      Double before = putExplicit(a, b, strength);
      putExplicit(b, a, strength);
      if (before == null) {
        explicitLinks++;
        explicitEncodedBytes += encodedSize(a, b);
      }
      return before;
    } finally {
      explicitLock.unlockWrite(stamp);
    }
  }

  boolean disentangle(String a, String b) {
    long stamp = explicitLock.writeLock();
    try {
      boolean had = removeExplicit(a, b);
      removeExplicit(b, a);
      if (had) {
        explicitLinks--;
        explicitEncodedBytes -= encodedSize(a, b);
      }
      return had;
    } finally {
      explicitLock.unlockWrite(stamp);
    }
  }

  private Double putExplicit(String from, String to, double strength) {
    Map<String, Double> current = explicit.getOrDefault(from, Map.of());
    Map<String, Double> next = new HashMap<>(current);
    Double before = next.put(to, strength);
    explicit.put(from, Map.copyOf(next));
    return before;
  }

  private boolean removeExplicit(String from, String to) {
    Map<String, Double> current = explicit.get(from);
    if (current == null || !current.containsKey(to)) {
      return false;
    }
    Map<String, Double> next = new HashMap<>(current);
    next.remove(to);
    if (next.isEmpty()) {
      explicit.remove(from);
    } else {
      explicit.put(from, Map.copyOf(next));
    }
    return true;
  }

  /** The explicit partners of {@code key} (an immutable snapshot). */
  Map<String, Double> explicitOf(String key) {
    long stamp = explicitLock.tryOptimisticRead();
    Map<String, Double> partners = explicit.getOrDefault(key, Map.of());
    if (explicitLock.validate(stamp)) {
      return partners;
    }
    stamp = explicitLock.readLock();
    try {
      return explicit.getOrDefault(key, Map.of());
    } finally {
      explicitLock.unlockRead(stamp);
    }
  }

  /** What {@link #encodeExplicit()} would take with the link a–b added, if it is new. */
  long encodedBytesWith(String a, String b) {
    long stamp = explicitLock.readLock();
    try {
      return explicitEncodedBytes + (explicit.getOrDefault(a, Map.of()).containsKey(b) ? 0
          : encodedSize(a, b));
    } finally {
      explicitLock.unlockRead(stamp);
    }
  }

  private static long encodedSize(String a, String b) {
    return 4L + a.getBytes(StandardCharsets.UTF_8).length + 4L
        + b.getBytes(StandardCharsets.UTF_8).length + 8;
  }

  /**
   * Every explicit link as one record: a version byte, a count, then per link its two keys
   * (int length + UTF-8) and its strength (a double); a consistent snapshot.
   */
  byte[] encodeExplicit() {
    long stamp = explicitLock.readLock();
    try {
      ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(explicitEncodedBytes));
      out.put(ENCODING_VERSION).putInt(Math.toIntExact(explicitLinks));
      forEachExplicit((a, b, s) -> {
        byte[] ka = a.getBytes(StandardCharsets.UTF_8);
        byte[] kb = b.getBytes(StandardCharsets.UTF_8);
        out.putInt(ka.length).put(ka).putInt(kb.length).put(kb).putDouble(s);
      });
      return out.array();
    } finally {
      explicitLock.unlockRead(stamp);
    }
  }

  /** Restores the explicit links {@link #encodeExplicit()} wrote; fails clearly on anything else. */
  void restoreExplicit(byte[] record) {
    try {
      ByteBuffer in = ByteBuffer.wrap(record);
      byte version = in.get();
      if (version != ENCODING_VERSION) {
        throw new IllegalArgumentException("unknown version " + version);
      }
      int count = in.getInt();
      if (count < 0 || count > record.length) {
        throw new IllegalArgumentException("impossible link count " + count);
      }
      for (int i = 0; i < count; i++) {
        String a = utf8(in);
        String b = utf8(in);
        entangle(a, b, in.getDouble());
      }
      if (in.hasRemaining()) {
        throw new IllegalArgumentException(in.remaining() + " bytes after the last link");
      }
    } catch (BufferUnderflowException | IllegalArgumentException e) {
      throw new IllegalStateException("the saved explicit links cannot be read (" + e.getMessage()
          + "): the journal's metadata record of the quantum plugin is damaged", e);
    }
  }

  private static String utf8(ByteBuffer in) {
    int n = in.getInt();
    if (n < 1 || n > in.remaining()) {
      throw new IllegalArgumentException("impossible key length " + n);
    }
    byte[] bytes = new byte[n];
    in.get(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /** Every explicit link once, as (a, b, strength) with a &lt; b. */
  void forEachExplicit(ExplicitVisitor visitor) {
    explicit.forEach((a, partners) -> partners.forEach((b, s) -> {
      if (a.compareTo(b) < 0) {
        visitor.visit(a, b, s);
      }
    }));
  }

  interface ExplicitVisitor {
    void visit(String a, String b, double strength);
  }

  // ------------------------------------------------------------------ learned (learner thread)

  /** A key's learned partners as the learner edits them in place: unsorted, its own thread only. */
  private static final class Working {
    String[] keys = new String[4];
    float[] strengths = new float[4];
    int size;

    int indexOf(String key) {
      for (int i = 0; i < size; i++) {
        if (keys[i].equals(key)) {
          return i;
        }
      }
      return -1;
    }

    int weakest() {
      int w = 0;
      for (int i = 1; i < size; i++) {
        if (strengths[i] < strengths[w]) {
          w = i;
        }
      }
      return w;
    }

    void add(String key, float strength) {
      if (size == keys.length) {
        keys = Arrays.copyOf(keys, size * 2);
        strengths = Arrays.copyOf(strengths, size * 2);
      }
      keys[size] = key;
      strengths[size++] = strength;
    }

    void removeAt(int i) {
      size--;
      keys[i] = keys[size];
      strengths[i] = strengths[size];
      keys[size] = null;
    }
  }

  /** Strengthens the learned link a–b by {@code rate} towards 1. Learner thread only. */
  void reinforce(String a, String b, double rate) {
    // The two directions differ when one side's top-K dropped the link: start from the stronger.
    double current = Math.max(strength(a, b), strength(b, a));
    float next = (float) (current + rate * (1 - current));
    setLearned(a, b, next);
    setLearned(b, a, next);
  }

  private double strength(String from, String to) {
    Working w = working.get(from);
    int i = w == null ? -1 : w.indexOf(to);
    return i < 0 ? 0 : w.strengths[i];
  }

  private void setLearned(String from, String to, float strength) {
    Working w = working.computeIfAbsent(from, k -> new Working());
    int i = w.indexOf(to);
    if (i >= 0) {
      w.strengths[i] = strength;
    } else if (w.size < topK) {
      if (learnedLinks >= maxLearnedLinks) {
        refusedByCap++;
        return;
      }
      w.add(to, strength);
      learnedLinks++;
    } else {
      int weakest = w.weakest();
      if (w.strengths[weakest] > strength) {
        return;
      }
      // Replaces the weakest, also on a tie: otherwise one-off links that filled the slots
      // first would keep every later partner out until decay.
      w.keys[weakest] = to;
      w.strengths[weakest] = strength;
    }
    dirty.add(from);
  }

  /** Multiplies every learned strength by {@code factor} and drops those below {@code floor}. */
  void decay(double factor, double floor) {
    for (Map.Entry<String, Working> e : working.entrySet()) {
      Working w = e.getValue();
      for (int i = w.size - 1; i >= 0; i--) {
        w.strengths[i] = (float) (w.strengths[i] * factor);
        if (w.strengths[i] < floor) {
          w.removeAt(i);
          learnedLinks--;
        }
      }
      dirty.add(e.getKey());
    }
  }

  /**
   * Removes the links of {@code key}, explicit and learned, and the learned links back to it
   * from its partners; returns whether an explicit one went. A partner that still lists
   * {@code key} after {@code key}'s own top-K dropped it (learned links are one-way then) keeps
   * that link until decay drops it: finding it would take a scan of every key.
   */
  boolean forget(String key) {
    Working w = working.remove(key);
    if (w != null) {
      learnedLinks -= w.size;
      for (int i = 0; i < w.size; i++) {
        Working back = working.get(w.keys[i]);
        int j = back == null ? -1 : back.indexOf(key);
        if (j >= 0) {
          back.removeAt(j);
          learnedLinks--;
          dirty.add(w.keys[i]);
        }
      }
      dirty.add(key);
    }
    boolean explicitGone = false;
    for (String other : List.copyOf(explicitOf(key).keySet())) {
      explicitGone |= disentangle(key, other);
    }
    return explicitGone;
  }

  /** Makes the learner's changes since the last call visible to readers. Learner thread only. */
  void publish() {
    for (String key : dirty) {
      Working w = working.get(key);
      if (w == null || w.size == 0) {
        working.remove(key);
        learned.remove(key);
        continue;
      }
      Integer[] order = new Integer[w.size];
      for (int i = 0; i < order.length; i++) {
        order[i] = i;
      }
      Arrays.sort(order, (x, y) -> Float.compare(w.strengths[y], w.strengths[x]));
      String[] keys = new String[w.size];
      float[] strengths = new float[w.size];
      for (int i = 0; i < order.length; i++) {
        keys[i] = w.keys[order[i]];
        strengths[i] = w.strengths[order[i]];
      }
      learned.put(key, new Learned(keys, strengths));
    }
    dirty.clear();
  }

  // ------------------------------------------------------------------ reading

  /** Explicit and learned partners of {@code key}, the strongest link per partner, in no order. */
  void partnersOf(String key, Map<String, Partner> out) {
    explicitOf(key).forEach((k, s) -> merge(out, new Partner(k, s, LinkSource.EXPLICIT)));
    Learned l = learned.getOrDefault(key, Learned.NONE);
    for (int i = 0; i < l.keys().length; i++) {
      merge(out, new Partner(l.keys()[i], l.strengths()[i], LinkSource.LEARNED));
    }
  }

  static void merge(Map<String, Partner> out, Partner p) {
    out.merge(p.key(), p, (a, b) -> a.strength() >= b.strength() ? a : b);
  }

  static List<Partner> strongestFirst(Map<String, Partner> partners) {
    List<Partner> list = new ArrayList<>(partners.values());
    list.sort(Comparator.comparingDouble(Partner::strength).reversed()
        .thenComparing(Partner::key));
    return list;
  }

  Map<String, Number> metrics() {
    Map<String, Number> m = new LinkedHashMap<>();
    m.put("explicitLinks", explicitLinks);
    m.put("learnedLinks", learnedLinks / 2);
    m.put("learnedKeys", learned.size());
    m.put("learnedRefusedByCap", refusedByCap);
    return m;
  }
}
