package io.warpengine.physics.cache.internal;

/**
 * The policy's entries: an open-addressing hash table (linear probing, removal by backward
 * shift) of keys, with one byte of policy state and, when weights vary, an {@code int} weight
 * per slot, in parallel arrays. Single-threaded, like the policy that owns it.
 *
 * <h2>Why this shape</h2>
 * An entry costs what its slots cost and nothing else: no object, no header, no links. With
 * compressed references and a load factor of at most 3/4 that is 4/0.75 bytes for the key
 * reference, 1/0.75 for the state and, in byte-budget mode only, 4/0.75 for the weight (in
 * entry mode every weight is 1 and the array does not exist). Slots are reached with a
 * multiply-shift reduction of the hash, so a table can have any capacity, not only a power of
 * two: sized for the expected entries it holds them at a load of 3/4 without a rehash.
 *
 * <p>A removal shifts later members of its probe run back, so slot numbers are valid only until
 * the next {@link #remove} or {@link #insert}: callers keep keys, not slots, across them.
 */
final class KeyTable {

  private static final double MAX_LOAD = 0.75;
  private static final int MIN_CAPACITY = 16;

  private final boolean weighted;
  private String[] keys;
  private byte[] states;
  private int[] weights;
  private int size;
  private int growAt;

  /**
   * @param expectedEntries how many keys to hold without growing
   * @param weighted        whether entries carry weights; if not, each weighs 1
   */
  KeyTable(long expectedEntries, boolean weighted) {
    this.weighted = weighted;
    allocate((int) Math.min(Integer.MAX_VALUE - 8,
        Math.max(MIN_CAPACITY, (long) Math.ceil(expectedEntries / MAX_LOAD) + 1)));
  }

  private void allocate(int capacity) {
    keys = new String[capacity];
    states = new byte[capacity];
    weights = weighted ? new int[capacity] : null;
    growAt = (int) (capacity * MAX_LOAD);
  }

  int size() {
    return size;
  }

  /** The number of slots, for a sweep over them. */
  int capacity() {
    return keys.length;
  }

  /** The slot holding {@code key}, or -1. */
  int find(String key) {
    for (int i = home(key.hashCode(), keys.length); ; i = next(i)) {
      String k = keys[i];
      if (k == null) {
        return -1;
      }
      if (k == key || k.hashCode() == key.hashCode() && k.equals(key)) {
        return i;
      }
    }
  }

  /** Adds {@code key}, which must be absent, and returns its slot. */
  int insert(String key, byte state, long weight) {
    if (size >= growAt) {
      grow();
    }
    int i = home(key.hashCode(), keys.length);
    while (keys[i] != null) {
      i = next(i);
    }
    keys[i] = key;
    states[i] = state;
    weight(i, weight);
    size++;
    return i;
  }

  /** Removes the entry in {@code slot}, shifting back the later members of its probe run. */
  void remove(int slot) {
    int hole = slot;
    for (int i = next(hole); keys[i] != null; i = next(i)) {
      int home = home(keys[i].hashCode(), keys.length);
      // The entry at i may fill the hole unless its home lies cyclically in (hole, i].
      boolean staysBehindHome = hole < i ? hole < home && home <= i : hole < home || home <= i;
      if (!staysBehindHome) {
        keys[hole] = keys[i];
        states[hole] = states[i];
        if (weighted) {
          weights[hole] = weights[i];
        }
        hole = i;
      }
    }
    keys[hole] = null;
    states[hole] = 0;
    size--;
  }

  /** The key in {@code slot}, or null if the slot is empty. */
  String key(int slot) {
    return keys[slot];
  }

  byte state(int slot) {
    return states[slot];
  }

  void state(int slot, byte state) {
    states[slot] = state;
  }

  long weight(int slot) {
    return weighted ? weights[slot] : 1;
  }

  void weight(int slot, long weight) {
    if (weighted) {
      weights[slot] = Math.toIntExact(weight);
    } else if (weight != 1) {
      throw new IllegalArgumentException("an unweighted table holds weights of 1, not " + weight);
    }
  }

  /** The slot after {@code slot}, wrapping around. */
  int next(int slot) {
    return slot + 1 == keys.length ? 0 : slot + 1;
  }

  /** Doubles the capacity; every slot number changes. */
  private void grow() {
    String[] oldKeys = keys;
    byte[] oldStates = states;
    int[] oldWeights = weights;
    allocate((int) Math.min(Integer.MAX_VALUE - 8, 2L * oldKeys.length));
    size = 0;
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldKeys[i] != null) {
        insert(oldKeys[i], oldStates[i], weighted ? oldWeights[i] : 1);
      }
    }
  }

  private static int home(int hashCode, int capacity) {
    return (int) (((FrequencySketch.spread(hashCode) & 0xFFFF_FFFFL) * capacity) >>> 32);
  }
}
