package io.warpengine.core;

import io.warpengine.api.MetricsSnapshot;
import io.warpengine.api.PutOptions;
import io.warpengine.api.ShardMetrics;
import io.warpengine.api.WarpEngine;
import io.warpengine.spi.EngineConfig;
import io.warpengine.spi.ResidencyPolicy;
import io.warpengine.spi.ShardRouter;
import io.warpengine.spi.ShardView;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine: a fixed array of {@link Shard}s, each a {@code ConcurrentHashMap} with striped
 * counters, and a {@link ShardRouter} that maps a key to its shard.
 *
 * <h2>Concurrency model</h2>
 * There is no engine thread and no engine lock. Each call validates its input, routes the key
 * and operates on the shard's map from the caller's own thread, so single-key operations are
 * exactly as atomic as the {@code ConcurrentHashMap} operation beneath them: {@code put} is
 * {@code map.put}, {@code putIfAbsent} is {@code map.putIfAbsent}, and the conditional
 * {@code replace} compares content then swaps with {@code map.replace(key, seen, new)}, which
 * succeeds only if the very array it compared is still there. Every mutation gets the displaced
 * value back from the map atomically, so the per-shard byte counts ({@link java.util.concurrent.atomic.LongAdder}s)
 * stay exact under any interleaving.
 *
 * <h2>Ownership of arrays</h2>
 * Values are copied on the way in (after validation, before storing) and on the way out, so
 * no caller can reach a stored array.
 *
 * <h2>Plugins</h2>
 * The {@link PluginHost} creates the plugins, the router is taken from one of them or is the
 * {@link HashRouter}, a residency policy (if a plugin offers one) is bound to the engine's
 * {@link Horizon}, then the plugins start. Hooks run after the operation took effect, on the
 * caller's thread; with no plugin loaded the dispatch is one array-length check.
 *
 * <p>Closing is a volatile flag checked at the start of each call: a call already past the
 * check when {@link #close()} runs may still complete.
 */
final class ShardedEngine implements WarpEngine {

  private static final Logger LOG = LoggerFactory.getLogger(ShardedEngine.class);

  private final Shard[] shards;
  private final Inputs inputs;
  private final PluginHost plugins;
  private final PluginHost.LoadedPlugin[] hooks;
  private final ShardRouter router;
  private volatile boolean closed;

  ShardedEngine(EngineConfig options) {
    this.inputs = new Inputs(options.maxValueBytes());
    this.shards = new Shard[options.shards()];
    for (int i = 0; i < shards.length; i++) {
      shards[i] = new Shard(i);
    }
    this.plugins = PluginHost.create(options, new ReadView());
    try {
      this.router = plugins.exclusive(ShardRouter.class).orElseGet(() -> new HashRouter(shards.length));
      this.hooks = plugins.hookPlugins().toArray(PluginHost.LoadedPlugin[]::new);
      plugins.exclusive(ResidencyPolicy.class).ifPresent(policy -> policy.bind(new Horizon()));
      plugins.start();
    } catch (RuntimeException e) {
      plugins.close();
      throw e;
    }
    LOG.debug("Warp engine open: {} shards, plugins {}", shards.length, plugins.names());
  }

  // ---------------------------------------------------------------- single-key operations

  @Override
  public void put(String key, byte[] value, PutOptions options) {
    checkOpen();
    Inputs.checkKey(key);
    inputs.checkValue(key, value, "value");
    Objects.requireNonNull(options, "options");
    store(key, value.clone(), options);
  }

  private void store(String key, byte[] copy, PutOptions options) {
    Shard shard = shardFor(key);
    byte[] displaced = shard.map.put(key, copy);
    shard.recordWrite(copy, displaced);
    firePut(key, shard.index, copy.length, options);
  }

  @Override
  public byte[] get(String key) {
    checkOpen();
    Inputs.checkKey(key);
    byte[] value = read(key);
    return value == null ? null : value.clone();
  }

  private byte[] read(String key) {
    Shard shard = shardFor(key);
    byte[] value = shard.map.get(key);
    shard.recordRead(value != null);
    fireGet(key, shard.index, value != null);
    return value;
  }

  @Override
  public boolean contains(String key) {
    checkOpen();
    Inputs.checkKey(key);
    return read(key) != null;
  }

  @Override
  public boolean delete(String key) {
    checkOpen();
    Inputs.checkKey(key);
    Shard shard = shardFor(key);
    byte[] removed = shard.map.remove(key);
    if (removed == null) {
      return false;
    }
    shard.recordDelete(removed);
    fireDelete(key, shard.index);
    return true;
  }

  @Override
  public byte[] putIfAbsent(String key, byte[] value) {
    checkOpen();
    Inputs.checkKey(key);
    inputs.checkValue(key, value, "value");
    Shard shard = shardFor(key);
    byte[] copy = value.clone();
    byte[] existing = shard.map.putIfAbsent(key, copy);
    if (existing != null) {
      return existing.clone();
    }
    shard.recordWrite(copy, null);
    firePut(key, shard.index, copy.length, PutOptions.DEFAULT);
    return null;
  }

  @Override
  public boolean replace(String key, byte[] expected, byte[] newValue) {
    checkOpen();
    Inputs.checkKey(key);
    inputs.checkValue(key, expected, "expected value");
    inputs.checkValue(key, newValue, "new value");
    Shard shard = shardFor(key);
    byte[] copy = newValue.clone();
    for (byte[] seen = shard.map.get(key); seen != null && Arrays.equals(seen, expected);
         seen = shard.map.get(key)) {
      if (shard.map.replace(key, seen, copy)) {
        shard.recordWrite(copy, seen);
        firePut(key, shard.index, copy.length, PutOptions.DEFAULT);
        return true;
      }
    }
    return false;
  }

  // ---------------------------------------------------------------- multi-key operations

  @Override
  public Map<String, byte[]> getAll(Collection<String> keys) {
    checkOpen();
    if (keys == null) {
      throw new IllegalArgumentException("keys must not be null");
    }
    Map<String, byte[]> found = new LinkedHashMap<>();
    for (String key : checkedKeys(keys)) {
      byte[] value = read(key);
      if (value != null) {
        found.put(key, value.clone());
      }
    }
    return found;
  }

  /** The distinct keys, in first-seen order, after checking every one. */
  private static Set<String> checkedKeys(Collection<String> keys) {
    Set<String> out = new LinkedHashSet<>(Math.max(16, keys.size() * 2));
    for (String key : keys) {
      Inputs.checkKey(key);
      out.add(key);
    }
    return out;
  }

  @Override
  public void putAll(Map<String, byte[]> entries, PutOptions options) {
    checkOpen();
    if (entries == null) {
      throw new IllegalArgumentException("entries must not be null");
    }
    Objects.requireNonNull(options, "options");
    // Validate and copy everything first: a rejected batch stores nothing.
    Map<String, byte[]> copies = new LinkedHashMap<>(Math.max(16, entries.size() * 2));
    for (Map.Entry<String, byte[]> e : entries.entrySet()) {
      Inputs.checkKey(e.getKey());
      inputs.checkValue(e.getKey(), e.getValue(), "value");
      copies.put(e.getKey(), e.getValue().clone());
    }
    copies.forEach((key, copy) -> store(key, copy, options));
  }

  @Override
  public SortedMap<String, byte[]> scan(String prefix, int limit) {
    checkOpen();
    if (prefix == null) {
      throw new IllegalArgumentException("prefix must not be null (use \"\" for every key)");
    }
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, was " + limit);
    }
    TreeMap<String, byte[]> out = new TreeMap<>();
    for (Shard shard : shards) {
      shard.map.forEach((key, value) -> {
        if (key.startsWith(prefix) && (out.size() < limit || key.compareTo(out.lastKey()) < 0)) {
          out.put(key, value);
          if (out.size() > limit) {
            out.pollLastEntry();
          }
        }
      });
    }
    out.replaceAll((key, value) -> value.clone());
    return out;
  }

  @Override
  public long size() {
    checkOpen();
    long n = 0;
    for (Shard shard : shards) {
      n += shard.map.mappingCount();
    }
    return n;
  }

  // ---------------------------------------------------------------- plugins and metrics

  @Override
  public <T> Optional<T> plugin(Class<T> type) {
    checkOpen();
    return plugins.capability(Objects.requireNonNull(type, "type"));
  }

  @Override
  public List<String> pluginNames() {
    return plugins.names();
  }

  @Override
  public boolean isDurable() {
    return false;
  }

  @Override
  public MetricsSnapshot metrics() {
    List<ShardMetrics> perShard = new ArrayList<>(shards.length);
    for (Shard shard : shards) {
      perShard.add(shard.metrics());
    }
    return new MetricsSnapshot(perShard, plugins.metrics());
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    plugins.close();
    MetricsSnapshot m = metrics();
    LOG.info("Warp engine closed: {} entries, {} value bytes in {} shards; {} reads ({} misses),"
            + " {} writes, {} deletes, {} evictions; plugins {}", m.entries(), m.bytes(),
        shards.length, m.reads(), m.misses(), m.writes(), m.deletes(), m.evictions(),
        plugins.names());
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("this Warp engine is closed");
    }
  }

  private Shard shardFor(String key) {
    return shards[router.route(key)];
  }

  // ---------------------------------------------------------------- hook dispatch

  private void firePut(String key, int shard, int bytes, PutOptions options) {
    for (PluginHost.LoadedPlugin p : hooks) {
      try {
        p.plugin.onPut(key, shard, bytes, options);
      } catch (RuntimeException e) {
        p.hookFailed(e);
      }
    }
  }

  private void fireGet(String key, int shard, boolean hit) {
    for (PluginHost.LoadedPlugin p : hooks) {
      try {
        p.plugin.onGet(key, shard, hit);
      } catch (RuntimeException e) {
        p.hookFailed(e);
      }
    }
  }

  private void fireDelete(String key, int shard) {
    for (PluginHost.LoadedPlugin p : hooks) {
      try {
        p.plugin.onDelete(key, shard);
      } catch (RuntimeException e) {
        p.hookFailed(e);
      }
    }
  }

  // ---------------------------------------------------------------- the event horizon

  /**
   * The engine's side of the memory boundary. Without a journal, a released value has nowhere
   * else to live, so the entry is evicted: removed, counted as an eviction (not a delete), and
   * no delete hook runs.
   */
  private final class Horizon implements ResidencyPolicy.EventHorizon {
    @Override
    public boolean release(String key) {
      Shard shard = shardFor(key);
      byte[] removed = shard.map.remove(key);
      if (removed == null) {
        return false;
      }
      shard.recordEviction(removed);
      return true;
    }

    @Override
    public boolean durable() {
      return false;
    }
  }

  // ---------------------------------------------------------------- the plugins' read view

  /** What plugins see of the shards: reads that touch no counter and call no hook. */
  private final class ReadView implements ShardView {
    @Override
    public int shardCount() {
      return shards.length;
    }

    @Override
    public ShardMetrics metrics(int shard) {
      return shards[Objects.checkIndex(shard, shards.length)].metrics();
    }

    @Override
    public int shardOf(String key) {
      Inputs.checkKey(key);
      return router.route(key);
    }

    @Override
    public boolean contains(String key) {
      Inputs.checkKey(key);
      return shardFor(key).map.containsKey(key);
    }

    @Override
    public byte[] peek(String key) {
      Inputs.checkKey(key);
      byte[] value = shardFor(key).map.get(key);
      return value == null ? null : value.clone();
    }

    @Override
    public void forEach(int shard, BiConsumer<String, byte[]> visitor) {
      shards[Objects.checkIndex(shard, shards.length)].map.forEach(visitor);
    }
  }
}
