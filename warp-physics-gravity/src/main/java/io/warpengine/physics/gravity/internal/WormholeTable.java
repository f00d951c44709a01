package io.warpengine.physics.gravity.internal;

import java.util.Map;

/**
 * The route overrides as the router reads them: an immutable open-addressing table from centre
 * to shard, published whole by one volatile write (as H2's {@code RootReference}), so a route
 * never locks. A lookup compares the centre in place inside the key, without a substring.
 * Rebuilt from the plugin's wormholes on every change, which costs O(wormholes): changes are
 * rare next to routes.
 */
final class WormholeTable {

  static final WormholeTable EMPTY = of(Map.of());

  private final String[] centres;
  private final int[] hashes;
  private final int[] shards;
  private final int mask;
  private final int size;

  private WormholeTable(int capacity, int size) {
    this.centres = new String[capacity];
    this.hashes = new int[capacity];
    this.shards = new int[capacity];
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
      t.hashes[i] = h;
      t.shards[i] = shard;
    });
    return t;
  }

  int size() {
    return size;
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
      String c = centres[i];
      if (c == null) {
        return -1;
      }
      if (hashes[i] == hash && c.length() == len && key.regionMatches(start, c, 0, len)) {
        return shards[i];
      }
    }
  }

  private static int spread(int h) {
    int x = h * 0x9E3779B9;
    return x ^ (x >>> 16);
  }
}
