package io.warpengine.bench.jmh;

import io.warpengine.Warp;
import io.warpengine.WarpOptions;
import io.warpengine.api.WarpEngine;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.SequencedMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a benchmark runs against: the core engine alone, the engine with physics plugins, or one
 * of two baselines.
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
    public Target open() {
      return engine(WarpOptions.builder().discoverPlugins(false));
    }
  },
  /** The engine with the event horizon alone (its default budget holds every key: all hits). */
  ENGINE_CACHE {
    @Override
    public Target open() {
      return engine(WarpOptions.builder().disablePlugin("quantum").disablePlugin("entropy")
          .disablePlugin("gravity"));
    }
  },
  /** The engine with entanglement alone, learning from the reads it samples. */
  ENGINE_QUANTUM {
    @Override
    public Target open() {
      return engine(quantumAlone());
    }
  },
  /** {@link #ENGINE_QUANTUM} with {@code quantum.learn=false}: the difference is its learner. */
  ENGINE_QUANTUM_NOT_LEARNING {
    @Override
    public Target open() {
      return engine(quantumAlone().property("quantum.learn", "false"));
    }
  },
  /** The engine with the entropy monitor alone, sampling every second. */
  ENGINE_ENTROPY {
    @Override
    public Target open() {
      return engine(WarpOptions.builder().disablePlugin("cache").disablePlugin("quantum")
          .disablePlugin("gravity").property("entropy.interval", "PT1S"));
    }
  },
  /** The engine with gravity alone: routing by centre, every write under its stripe lock. */
  ENGINE_GRAVITY {
    @Override
    public Target open() {
      return engine(WarpOptions.builder().disablePlugin("cache").disablePlugin("quantum")
          .disablePlugin("entropy"));
    }
  },
  /** The engine with every physics module on the path (entropy sampling every second). */
  ENGINE_ALL_PLUGINS {
    @Override
    public Target open() {
      return engine(WarpOptions.builder().property("entropy.interval", "PT1S"));
    }
  },
  /** The baseline: a bare {@code ConcurrentHashMap}. */
  MAP {
    @Override
    public Target open() {
      return new MapTarget();
    }
  },
  /**
   * A bare {@code ConcurrentHashMap} whose get reads the first and the last byte of the value it
   * hands out, without copying it: what merely looking at the value costs a get (a copy has to).
   * The bytes go into a plain field, so it means something with one thread only.
   */
  TOUCHING_MAP {
    @Override
    public Target open() {
      return new MapTarget() {
        private int touched;

        @Override
        public byte[] get(String key) {
          byte[] value = super.get(key);
          if (value != null && value.length > 0) {
            touched += value[0] + value[value.length - 1];
          }
          return value;
        }
      };
    }
  },
  /** A bare {@code ConcurrentHashMap} that copies values in and out, as the engine must. */
  COPYING_MAP {
    @Override
    public Target open() {
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

  /** A fresh, empty instance of this store. */
  public abstract Target open();

  /** What {@code ./warp jmh} compares: the engine and the two map baselines. */
  static final List<Store> AGAINST_MAPS = List.of(ENGINE, MAP, COPYING_MAP);
  /**
   * What {@code ./warp jmh --plugins} compares with the bare engine, by the name {@code --only}
   * takes, in the order of its table.
   */
  static final SequencedMap<String, Store> WITH_PLUGINS = withPlugins();

  private static SequencedMap<String, Store> withPlugins() {
    SequencedMap<String, Store> byName = new LinkedHashMap<>();
    byName.put("cache", ENGINE_CACHE);
    byName.put("quantum", ENGINE_QUANTUM);
    byName.put("entropy", ENGINE_ENTROPY);
    byName.put("gravity", ENGINE_GRAVITY);
    byName.put("all", ENGINE_ALL_PLUGINS);
    return Collections.unmodifiableSequencedMap(byName);
  }

  private static WarpOptions.Builder quantumAlone() {
    return WarpOptions.builder().disablePlugin("cache").disablePlugin("entropy")
        .disablePlugin("gravity");
  }

  private static Target engine(WarpOptions.Builder options) {
    WarpEngine engine = Warp.open(options.build());
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

  /**
   * The operations measured. A forked benchmark VM loads one implementation, or two when
   * {@code --in-fork} measures a plugin against its baseline in the same fork; {@code
   * ./warp bench} (io.warpengine.bench.compare) drives the engine and the map through it too.
   */
  public interface Target extends AutoCloseable {
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
