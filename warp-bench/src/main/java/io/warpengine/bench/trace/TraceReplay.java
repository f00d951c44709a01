package io.warpengine.bench.trace;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.warpengine.Warp;
import io.warpengine.WarpOptions;
import io.warpengine.api.WarpEngine;
import io.warpengine.physics.cache.EventHorizon;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Replays a key-access trace through three caches of the same capacity and counts their hits:
 * for each key, read it; on a miss, put it.
 * <ul>
 *   <li><b>Warp</b>: the engine with the {@code cache} plugin in entry-count mode
 *       ({@code cache.maxEntries = capacity}), drained after every access so the policy's state
 *       is exact, as Caffeine's is with a same-thread executor;</li>
 *   <li><b>Caffeine</b>: {@code maximumSize(capacity)}, {@code executor(Runnable::run)};</li>
 *   <li><b>LRU</b>: an access-ordered {@link LinkedHashMap} bounded to the capacity.</li>
 * </ul>
 */
public final class TraceReplay {

  private static final byte[] VALUE = {1};

  private TraceReplay() {}

  /** Hits out of {@code accesses} for each cache. */
  public record Result(int capacity, long accesses, long warpHits, long caffeineHits, long lruHits) {
    public double warpHitRate() {
      return rate(warpHits);
    }

    public double caffeineHitRate() {
      return rate(caffeineHits);
    }

    public double lruHitRate() {
      return rate(lruHits);
    }

    private double rate(long hits) {
      return accesses == 0 ? 0 : (double) hits / accesses;
    }
  }

  public static Result replay(List<String> keys, int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
    }
    return new Result(capacity, keys.size(), warp(keys, capacity), caffeine(keys, capacity),
        lru(keys, capacity));
  }

  /** One cache under test: reads a key, loads it on a miss, and says whether it was a hit. */
  @FunctionalInterface
  private interface ReadThrough {
    boolean access(String key);
  }

  private static long hits(List<String> keys, ReadThrough cache) {
    long hits = 0;
    for (String key : keys) {
      if (cache.access(key)) {
        hits++;
      }
    }
    return hits;
  }

  private static long warp(List<String> keys, int capacity) {
    WarpOptions options = WarpOptions.builder().shards(1)
        .property("cache.maxEntries", Integer.toString(capacity)).build();
    try (WarpEngine engine = Warp.open(options)) {
      EventHorizon horizon = engine.plugin(EventHorizon.class).orElseThrow(() ->
          new IllegalStateException("the cache plugin (warp-physics-cache) is not on the path"));
      return hits(keys, key -> {
        boolean hit = engine.get(key) != null;
        if (!hit) {
          engine.put(key, VALUE);
        }
        horizon.cleanUp();
        return hit;
      });
    }
  }

  private static long caffeine(List<String> keys, int capacity) {
    Cache<String, byte[]> cache = Caffeine.newBuilder().maximumSize(capacity)
        .executor(Runnable::run).build();
    return hits(keys, key -> {
      boolean hit = cache.getIfPresent(key) != null;
      if (!hit) {
        cache.put(key, VALUE);
      }
      return hit;
    });
  }

  private static long lru(List<String> keys, int capacity) {
    Map<String, byte[]> lru = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, byte[]> eldest) {
        return size() > capacity;
      }
    };
    return hits(keys, key -> {
      boolean hit = lru.get(key) != null;
      if (!hit) {
        lru.put(key, VALUE);
      }
      return hit;
    });
  }
}
