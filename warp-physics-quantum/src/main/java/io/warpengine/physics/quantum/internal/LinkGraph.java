package io.warpengine.physics.quantum.internal;

import io.warpengine.physics.quantum.LinkSource;
import io.warpengine.physics.quantum.Partner;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
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
 * too short for a black-box test to hit, so that part rests on the lock's guarantee. Learned links change only on the learner's
 * thread and carry no such promise: their two directions are published one after the other.
 *
 * <h2>Bounds</h2>
 * A key keeps at most {@code topK} learned partners (a weaker one is replaced by a stronger
 * candidate), and the graph at most {@code maxLearnedLinks} learned directions in all; a new
 * link beyond the cap is refused and counted until decay frees room.
 */
final class LinkGraph {

  /** One key's learned partners, strongest first; immutable. */
  private record Learned(String[] keys, float[] strengths) {
    static final Learned NONE = new Learned(new String[0], new float[0]);

    int indexOf(String key) {
      for (int i = 0; i < keys.length; i++) {
        if (keys[i].equals(key)) {
          return i;
        }
      }
      return -1;
    }
  }

  private final ConcurrentHashMap<String, Map<String, Double>> explicit = new ConcurrentHashMap<>();
  private final StampedLock explicitLock = new StampedLock();
  private final ConcurrentHashMap<String, Learned> learned = new ConcurrentHashMap<>();
  private final int topK;
  private final long maxLearnedLinks;
  /** Learner-thread state. */
  private long learnedLinks;
  private long refusedByCap;
  private long explicitLinks;

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

  /** Strengthens the learned link a–b by {@code rate} towards 1. Learner thread only. */
  void reinforce(String a, String b, double rate) {
    double current = learnedStrength(a, b);
    float next = (float) (current + rate * (1 - current));
    setLearned(a, b, next, current == 0);
    setLearned(b, a, next, current == 0);
  }

  private double learnedStrength(String a, String b) {
    Learned l = learned.getOrDefault(a, Learned.NONE);
    int i = l.indexOf(b);
    return i < 0 ? 0 : l.strengths()[i];
  }

  private void setLearned(String from, String to, float strength, boolean isNew) {
    Learned l = learned.getOrDefault(from, Learned.NONE);
    int i = l.indexOf(to);
    List<Map.Entry<String, Float>> entries = entries(l);
    if (i >= 0) {
      entries.set(i, Map.entry(to, strength));
    } else if (entries.size() < topK) {
      if (isNew && learnedLinks >= maxLearnedLinks) {
        refusedByCap++;
        return;
      }
      entries.add(Map.entry(to, strength));
      learnedLinks++;
    } else if (entries.getLast().getValue() < strength) {
      entries.set(entries.size() - 1, Map.entry(to, strength)); // replaces the weakest
    } else {
      return;
    }
    publish(from, entries);
  }

  private static List<Map.Entry<String, Float>> entries(Learned l) {
    List<Map.Entry<String, Float>> out = new ArrayList<>(l.keys().length + 1);
    for (int i = 0; i < l.keys().length; i++) {
      out.add(Map.entry(l.keys()[i], l.strengths()[i]));
    }
    return out;
  }

  private void publish(String from, List<Map.Entry<String, Float>> entries) {
    if (entries.isEmpty()) {
      learned.remove(from);
      return;
    }
    entries.sort(Map.Entry.<String, Float>comparingByValue().reversed());
    String[] keys = new String[entries.size()];
    float[] strengths = new float[entries.size()];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = entries.get(i).getKey();
      strengths[i] = entries.get(i).getValue();
    }
    learned.put(from, new Learned(keys, strengths));
  }

  /** Multiplies every learned strength by {@code factor} and drops those below {@code floor}. */
  void decay(double factor, double floor) {
    for (Map.Entry<String, Learned> e : learned.entrySet()) {
      Learned l = e.getValue();
      List<Map.Entry<String, Float>> kept = new ArrayList<>(l.keys().length);
      for (int i = 0; i < l.keys().length; i++) {
        float s = (float) (l.strengths()[i] * factor);
        if (s >= floor) {
          kept.add(Map.entry(l.keys()[i], s));
        }
      }
      learnedLinks -= l.keys().length - kept.size();
      publish(e.getKey(), kept);
    }
  }

  /** Removes every link, explicit and learned, of {@code key}; returns the explicit partners it had. */
  List<String> forget(String key) {
    Learned l = learned.remove(key);
    if (l != null) {
      learnedLinks -= l.keys().length;
      for (String other : l.keys()) {
        Learned back = learned.getOrDefault(other, Learned.NONE);
        int i = back.indexOf(key);
        if (i >= 0) {
          List<Map.Entry<String, Float>> entries = entries(back);
          entries.remove(i);
          learnedLinks--;
          publish(other, entries);
        }
      }
    }
    List<String> explicitPartners = List.copyOf(explicitOf(key).keySet());
    explicitPartners.forEach(other -> disentangle(key, other));
    return explicitPartners;
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
