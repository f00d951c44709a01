package io.warpengine.bench.compare;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.warpengine.Warp;
import io.warpengine.WarpOptions;
import io.warpengine.api.SyncPolicy;
import io.warpengine.api.WarpEngine;
import io.warpengine.bench.jmh.Store;
import io.warpengine.bench.workload.KeySpace;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteOptions;

/**
 * The stores {@code warp bench} compares: Warp in four configurations and the stores a user
 * would pick instead. Each is opened empty, loaded with every key of the run, then driven by key
 * index ({@link Session}), so that each store gets its keys in the form it takes (Strings for the
 * maps and Warp, UTF-8 bytes for RocksDB) made before the clock starts.
 *
 * <p>The bare map is {@link Store#MAP} of the JMH benchmarks, the copying map their {@link
 * Store#COPYING_MAP}; {@link #WARP_CORE} is opened as their {@link Store#ENGINE} is (no plugin,
 * whatever is on the path). Caffeine is bounded to the same capacity as Warp's event horizon in
 * {@link #WARP_PHYSICS} (every key fits in both). RocksDB runs twice: {@code sync=false} beside
 * Warp + wal {@code PERIODIC} (neither fsyncs before a put returns) and {@code sync=true} beside
 * Warp + wal {@code ALWAYS}. MVStore is file-backed with its default background commit (at most
 * one second of writes lost on a crash), so it is paired with {@code PERIODIC}.
 */
public enum Contender {
  WARP_CORE("warp core", true, "the in-memory engine alone (no plugin, no journal)") {
    @Override
    Session open(Path dir, KeySpace keys) {
      return warp(WarpOptions.builder().discoverPlugins(false), keys);
    }
  },
  WARP_PERIODIC("warp+wal periodic", true, "the engine + warp-wal, SyncPolicy PERIODIC(100 ms)") {
    @Override
    Session open(Path dir, KeySpace keys) {
      return warp(WarpOptions.builder().discoverPlugins(false).dataDirectory(dir)
          .syncPolicy(SyncPolicy.periodic(Duration.ofMillis(100))), keys);
    }
  },
  WARP_ALWAYS("warp+wal always", true, "the engine + warp-wal, SyncPolicy ALWAYS (group commit)") {
    @Override
    Session open(Path dir, KeySpace keys) {
      return warp(WarpOptions.builder().discoverPlugins(false).dataDirectory(dir)
          .syncPolicy(SyncPolicy.ALWAYS), keys);
    }
  },
  WARP_PHYSICS("warp+physics", true, "the in-memory engine with every physics module (cache with"
      + " cache.maxEntries = keys, quantum, entropy, gravity)") {
    @Override
    Session open(Path dir, KeySpace keys) {
      return warp(WarpOptions.builder().property("cache.maxEntries",
          Integer.toString(keys.size())), keys);
    }
  },
  MAP("ConcurrentHashMap", false, "a bare ConcurrentHashMap<String, byte[]>: the in-memory"
      + " ceiling") {
    @Override
    Session open(Path dir, KeySpace keys) {
      return map(Store.MAP.open(), keys);
    }
  },
  COPYING_MAP("ConcurrentHashMap copying", false, "a ConcurrentHashMap<String, byte[]> that copies"
      + " values in and out, as Warp must: the in-memory ceiling for a store that keeps its values"
      + " from its callers") {
    @Override
    Session open(Path dir, KeySpace keys) {
      return map(Store.COPYING_MAP.open(), keys);
    }
  },
  CAFFEINE("Caffeine", false, "Caffeine maximumSize(keys), the same capacity as the horizon of"
      + " warp+physics") {
    @Override
    Session open(Path dir, KeySpace keys) {
      Cache<String, byte[]> cache = Caffeine.newBuilder().maximumSize(keys.size()).build();
      return new Session() {
        @Override
        public byte[] get(int key) {
          return cache.getIfPresent(keys.name(key));
        }

        @Override
        public void put(int key, byte[] value) {
          cache.put(keys.name(key), value);
        }
      };
    }
  },
  MVSTORE("H2 MVStore", false, "H2 MVStore, file-backed, default background commit") {
    @Override
    Session open(Path dir, KeySpace keys) {
      MVStore store = new MVStore.Builder().fileName(dir.resolve("store.mv").toString()).open();
      MVMap<String, byte[]> map = store.openMap("bench");
      return new Session() {
        @Override
        public byte[] get(int key) {
          return map.get(keys.name(key));
        }

        @Override
        public void put(int key, byte[] value) {
          map.put(keys.name(key), value);
        }

        @Override
        public void close() {
          store.close();
        }
      };
    }
  },
  ROCKSDB("RocksDB", false, "RocksDB (rocksdbjni), write-ahead log on, sync=false") {
    @Override
    Session open(Path dir, KeySpace keys) {
      return rocks(dir, keys, false);
    }
  },
  ROCKSDB_SYNC("RocksDB sync", false, "RocksDB (rocksdbjni), write-ahead log on, sync=true") {
    @Override
    Session open(Path dir, KeySpace keys) {
      return rocks(dir, keys, true);
    }
  };

  /** Warp against the store a user would pick instead; the ratio is Warp's throughput / other's. */
  public record Pair(Contender warp, Contender other) {
    @Override
    public String toString() {
      return warp.label + " / " + other.label;
    }
  }

  /** The pairs whose throughput ratio the report gives, when both stores ran. */
  public static final List<Pair> PAIRS = List.of(
      new Pair(WARP_CORE, MAP),
      new Pair(WARP_CORE, COPYING_MAP),
      new Pair(WARP_PHYSICS, MAP),
      new Pair(WARP_PHYSICS, CAFFEINE),
      new Pair(WARP_PERIODIC, ROCKSDB),
      new Pair(WARP_PERIODIC, MVSTORE),
      new Pair(WARP_ALWAYS, ROCKSDB_SYNC));

  final String label;
  final boolean warp;
  final String description;

  Contender(String label, boolean warp, String description) {
    this.label = label;
    this.warp = warp;
    this.description = description;
  }

  /** The name on the command line: the constant's name in lower case with dashes. */
  public String id() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** The contender named {@code id} on the command line; a clear exception for any other name. */
  public static Contender byId(String id) {
    for (Contender c : values()) {
      if (c.id().equals(id.strip())) {
        return c;
      }
    }
    throw new IllegalArgumentException("unknown store '" + id + "'; expected one of "
        + java.util.Arrays.stream(values()).map(Contender::id).toList());
  }

  /** Opens this store, empty, in {@code dir} (a new directory it may use or ignore). */
  abstract Session open(Path dir, KeySpace keys);

  /** One open store, driven by key index. Safe for concurrent use, as the stores themselves. */
  interface Session extends AutoCloseable {
    byte[] get(int key);

    void put(int key, byte[] value);

    /** Stores {@code value} under every key of {@code [0, count)}: not measured. */
    default void load(int count, byte[] value) {
      for (int k = 0; k < count; k++) {
        put(k, value);
      }
    }

    @Override
    default void close() {}
  }

  private static Session map(Store.Target target, KeySpace keys) {
    return new Session() {
      @Override
      public byte[] get(int key) {
        return target.get(keys.name(key));
      }

      @Override
      public void put(int key, byte[] value) {
        target.put(keys.name(key), value);
      }

      @Override
      public void close() {
        target.close();
      }
    };
  }

  /** A Warp engine; loads in {@code putAll} batches (one journal record, one fsync each). */
  private static Session warp(WarpOptions.Builder options, KeySpace keys) {
    WarpEngine engine = Warp.open(options.build());
    return new Session() {
      @Override
      public byte[] get(int key) {
        return engine.get(keys.name(key));
      }

      @Override
      public void put(int key, byte[] value) {
        engine.put(keys.name(key), value);
      }

      @Override
      public void load(int count, byte[] value) {
        Map<String, byte[]> batch = new HashMap<>();
        for (int k = 0; k < count; k++) {
          batch.put(keys.name(k), value);
          if (batch.size() == LOAD_BATCH || k == count - 1) {
            engine.putAll(batch);
            batch.clear();
          }
        }
      }

      @Override
      public void close() {
        engine.close();
      }
    };
  }

  private static final int LOAD_BATCH = 1000;

  /** RocksDB with its defaults and its write-ahead log on; loads without sync, then flushes. */
  private static Session rocks(Path dir, KeySpace keys, boolean sync) {
    RocksDB.loadLibrary();
    byte[][] names = new byte[keys.size()][];
    for (int k = 0; k < names.length; k++) {
      names[k] = keys.name(k).getBytes(StandardCharsets.UTF_8);
    }
    Options options = new Options().setCreateIfMissing(true);
    WriteOptions write = new WriteOptions().setSync(sync);
    WriteOptions loading = new WriteOptions().setSync(false);
    RocksDB db;
    try {
      db = RocksDB.open(options, dir.toString());
    } catch (RocksDBException | RuntimeException e) {
      // no session will close these native objects
      write.close();
      loading.close();
      options.close();
      throw new IllegalStateException("cannot open RocksDB in " + dir, e);
    }
    return new Session() {
      @Override
      public byte[] get(int key) {
        try {
          return db.get(names[key]);
        } catch (RocksDBException e) {
          throw new IllegalStateException(e);
        }
      }

      @Override
      public void put(int key, byte[] value) {
        put(write, key, value);
      }

      private void put(WriteOptions how, int key, byte[] value) {
        try {
          db.put(how, names[key], value);
        } catch (RocksDBException e) {
          throw new IllegalStateException(e);
        }
      }

      @Override
      public void load(int count, byte[] value) {
        for (int k = 0; k < count; k++) {
          put(loading, k, value);
        }
        try {
          db.syncWal();
        } catch (RocksDBException e) {
          throw new IllegalStateException(e);
        }
      }

      @Override
      public void close() {
        db.close();
        write.close();
        loading.close();
        options.close();
      }
    };
  }
}
