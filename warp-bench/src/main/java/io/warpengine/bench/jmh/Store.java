package io.warpengine.bench.jmh;

import io.warpengine.Warp;
import io.warpengine.WarpOptions;
import io.warpengine.api.WarpEngine;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a benchmark runs against: the core engine, or one of two baselines.
 *
 * <p>{@link #MAP} is the bare {@code ConcurrentHashMap<String, byte[]>} the engine is judged
 * against. It neither checks, copies nor counts, while the engine's API contract makes it copy
 * every value on the way in and on the way out; {@link #COPYING_MAP} adds just those two copies
 * to the bare map, so that the engine/copying-map ratio shows what the engine costs beyond its
 * contract (validation, routing, counters, plugin dispatch).
 */
public enum Store {
  /** The core engine alone: in memory, the default shard count, no plugin even if one is on the path. */
  ENGINE {
    @Override
    Target open() {
      WarpEngine engine = Warp.open(WarpOptions.builder().discoverPlugins(false).build());
      return new Target() {
        @Override
        public byte[] get(String key) {
          return engine.get(key);
        }

        @Override
        public Object view(String key) {
          return engine.getReadOnly(key);
        }

        @Override
        public void put(String key, byte[] value) {
          engine.put(key, value);
        }

        @Override
        public void close() {
          engine.close();
        }
      };
    }
  },
  /** The baseline: a bare {@code ConcurrentHashMap}. */
  MAP {
    @Override
    Target open() {
      return new MapTarget();
    }
  },
  /** A bare {@code ConcurrentHashMap} that copies values in and out, as the engine must. */
  COPYING_MAP {
    @Override
    Target open() {
      return new MapTarget() {
        @Override
        public byte[] get(String key) {
          byte[] value = super.get(key);
          return value == null ? null : value.clone();
        }

        @Override
        public void put(String key, byte[] value) {
          super.put(key, value.clone());
        }
      };
    }
  };

  abstract Target open();

  /** The operations measured. A forked benchmark VM only ever loads one implementation. */
  interface Target extends AutoCloseable {
    byte[] get(String key);

    /** A read that need not copy: the engine's read-only view; for the maps, their get. */
    default Object view(String key) {
      return get(key);
    }

    void put(String key, byte[] value);

    @Override
    default void close() {}
  }

  private static class MapTarget implements Target {
    private final ConcurrentHashMap<String, byte[]> map = new ConcurrentHashMap<>();

    @Override
    public byte[] get(String key) {
      return map.get(key);
    }

    @Override
    public void put(String key, byte[] value) {
      map.put(key, value);
    }
  }
}
