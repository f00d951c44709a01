package io.warpengine.physics.gravity.internal;

import java.util.Map;

/**
 * The route overrides as the router reads them: an immutable open-addressing table from centre
 * to shard, published whole by one volatile write (as H2's {@code RootReference}), so a route
 * never locks. A lookup compares the centre in place inside the key, without a substring.
 * Rebuilt from the plugin's wormholes on every change, which costs O(wormholes): changes are
 * rare next to routes. A slot's hash and shard sit side by side in one {@code int[]} (shard -1:
 * empty), so a probe that misses reads one cache line and never the centre string.
 */
final class WormholeTable {

  static final WormholeTable EMPTY = of(Map.of());

  private final String[] centres;
  /** Per slot i: [2i] the centre's hash, [2i + 1] its shard, or -1 for an empty slot. */
  private final int[] slots;
  private final int mask;
  private final int size;

  private WormholeTable(int capacity, int size) {
    this.centres = new String[capacity];
    this.slots = new int[2 * capacity];
    for (int i = 1; i < slots.length; i += 2) {
      slots[i] = -1;
    }
    this.mask = capacity - 1;
    this.size = size;
  }

  /** A table of {@code routes} (centre to shard). */
  static WormholeTable of(Map<String, Integer> routes) {
    int capacity = Integer.highestOneBit(Math.max(4, routes.size() * 2 + 1)) << 1;
    WormholeTable t = new WormholeTable(capacity, routes.size());
    routes.forEach((centre, shard) -> {
      int h = centre.hashCode();
      int i = spread(h) & t.mask;
      while (t.centres[i] != null) {
        i = (i + 1) & t.mask;
      }
      t.centres[i] = centre;
      t.slots[2 * i] = h;
      t.slots[2 * i + 1] = shard;
    });
    return t;
  }

  /**
   * The shard of the centre at {@code [start, end)} of {@code key} with hash {@code hash}, or -1
   * if it has no wormhole. Hot path: no allocation.
   */
  int lookup(String key, int start, int end, int hash) {
    if (size == 0) {
      return -1;
    }
    int len = end - start;
    for (int i = spread(hash) & mask; ; i = (i + 1) & mask) {
      int shard = slots[2 * i + 1];
      if (shard < 0) {
        return -1;
      }
      if (slots[2 * i] == hash) {
        String c = centres[i];
        if (c.length() == len && key.regionMatches(start, c, 0, len)) {
          return shard;
        }
      }
    }
  }

  private static int spread(int h) {
    int x = h * 0x9E3779B9;
    return x ^ (x >>> 16);
  }
}
