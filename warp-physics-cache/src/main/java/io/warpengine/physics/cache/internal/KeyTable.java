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
 * two: sized for the expected entries it holds them at a load of 3/4 without a rehash. The
 * arrays are split into pages of 2<sup>16</sup> slots, smaller than half of any G1 region, so
 * that none is a humongous object, which G1 rounds up to whole regions.
 *
 * <p>A removal shifts later members of its probe run back, so slot numbers are valid only until
 * the next {@link #remove} or {@link #insert}: callers keep keys, not slots, across them.
 */
final class KeyTable {

  private static final double MAX_LOAD = 0.75;
  private static final int MIN_CAPACITY = 16;
  private static final int PAGE_SHIFT = 16;
  private static final int PAGE_MASK = (1 << PAGE_SHIFT) - 1;

  /** Slots {@code [n << PAGE_SHIFT, (n + 1) << PAGE_SHIFT)}; weights is null if unweighted. */
  private record Page(String[] keys, byte[] states, int[] weights) {}

  private final boolean weighted;
  private Page[] pages;
  private int capacity;
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
    this.capacity = capacity;
    pages = new Page[(capacity + PAGE_MASK) >>> PAGE_SHIFT];
    for (int n = 0; n < pages.length; n++) {
      int length = Math.min(PAGE_MASK + 1, capacity - (n << PAGE_SHIFT));
      pages[n] = new Page(new String[length], new byte[length], weighted ? new int[length] : null);
    }
    growAt = (int) (capacity * MAX_LOAD);
  }

  int size() {
    return size;
  }

  /** The number of slots, for a sweep over them. */
  int capacity() {
    return capacity;
  }

  /** The slot holding {@code key}, or -1. */
  int find(String key) {
    for (int i = home(key.hashCode(), capacity); ; i = next(i)) {
      String k = key(i);
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
    int i = home(key.hashCode(), capacity);
    while (key(i) != null) {
      i = next(i);
    }
    key(i, key);
    state(i, state);
    weight(i, weight);
    size++;
    return i;
  }

  /** Removes the entry in {@code slot}, shifting back the later members of its probe run. */
  void remove(int slot) {
    int hole = slot;
    for (int i = next(hole); key(i) != null; i = next(i)) {
      int home = home(key(i).hashCode(), capacity);
      // The entry at i may fill the hole unless its home lies cyclically in (hole, i].
      boolean staysBehindHome = hole < i ? hole < home && home <= i : hole < home || home <= i;
      if (!staysBehindHome) {
        key(hole, key(i));
        state(hole, state(i));
        if (weighted) {
          weight(hole, weight(i));
        }
        hole = i;
      }
    }
    key(hole, null);
    state(hole, (byte) 0);
    size--;
  }

  /** The key in {@code slot}, or null if the slot is empty. */
  String key(int slot) {
    return page(slot).keys[slot & PAGE_MASK];
  }

  private void key(int slot, String key) {
    page(slot).keys[slot & PAGE_MASK] = key;
  }

  byte state(int slot) {
    return page(slot).states[slot & PAGE_MASK];
  }

  void state(int slot, byte state) {
    page(slot).states[slot & PAGE_MASK] = state;
  }

  long weight(int slot) {
    return weighted ? page(slot).weights[slot & PAGE_MASK] : 1;
  }

  void weight(int slot, long weight) {
    if (weighted) {
      page(slot).weights[slot & PAGE_MASK] = Math.toIntExact(weight);
    } else if (weight != 1) {
      throw new IllegalArgumentException("an unweighted table holds weights of 1, not " + weight);
    }
  }

  /** The slot after {@code slot}, wrapping around. */
  int next(int slot) {
    return slot + 1 == capacity ? 0 : slot + 1;
  }

  private Page page(int slot) {
    return pages[slot >>> PAGE_SHIFT];
  }

  /** Doubles the capacity; every slot number changes. */
  private void grow() {
    Page[] old = pages;
    allocate((int) Math.min(Integer.MAX_VALUE - 8, 2L * capacity));
    size = 0;
    for (Page page : old) {
      for (int i = 0; i < page.keys.length; i++) {
        if (page.keys[i] != null) {
          insert(page.keys[i], page.states[i], weighted ? page.weights[i] : 1);
        }
      }
    }
  }

  private static int home(int hashCode, int capacity) {
    return (int) (((FrequencySketch.spread(hashCode) & 0xFFFF_FFFFL) * capacity) >>> 32);
  }
}
