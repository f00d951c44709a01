package io.warpengine.core;

import io.warpengine.WarpOptions;
import io.warpengine.api.MetricsSnapshot;
import io.warpengine.api.PutOptions;
import io.warpengine.api.ShardMetrics;
import io.warpengine.api.WarpEngine;
import io.warpengine.spi.EngineConfig;
import io.warpengine.spi.Journal;
import io.warpengine.spi.JournalFactory;
import io.warpengine.spi.KeyMover;
import io.warpengine.spi.ResidencyPolicy;
import io.warpengine.spi.PhysicsPlugin;
import io.warpengine.spi.ShardRouter;
import io.warpengine.spi.ShardView;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.StampedLock;
import java.util.function.Predicate;
import java.io.UncheckedIOException;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
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
 * <h2>Durability</h2>
 * With a data directory and a {@link JournalFactory} on the path (the {@code warp-wal} module),
 * the engine recovers its state from the journal when it opens and logs every write. A durable
 * write takes the key's stripe lock (one of {@value #STRIPES}), appends its record (an in-memory
 * step) and changes the map, releases the lock, and only then waits for the journal to make
 * the record durable: log order equals map order for every key, and no lock is held while the
 * disk syncs, so concurrent writers share one sync. A {@code putAll} takes the stripes of all its
 * keys in ascending order and logs one batch record. Reads never lock. Without a journal
 * ({@code journal == null}) nothing is logged; without stripes ({@code stripes == null}: in
 * memory, hash-routed) writes are the plain map operations above.
 *
 * <h2>The event horizon</h2>
 * A map value is either the {@code byte[]} itself (inside the horizon) or, in a durable engine
 * with a residency policy, a {@link Beyond} marker: the value is on disk only, at a journal
 * location. Every path that finds a marker reads the value back ({@link #load}), so for callers
 * the two forms are the same; the in-memory hot path pays one type check for it.
 * <ul>
 *   <li><b>Release</b> ({@link Horizon#release}): under the key's stripe lock, the journal logs
 *       the current array again ({@link Journal#spill}, no I/O) and the map swaps from that very
 *       array to the marker. The lock orders the copy in the log after every earlier write of
 *       the key and before every later one, so recovery's result is unchanged.</li>
 *   <li><b>Load</b>: a read of a marker reads the journal without any lock. If the file is
 *       gone, a snapshot moved the value and swapped the marker first: the read looks up the
 *       entry again. A {@code get} then brings the value back inside with
 *       {@code map.replace(key, marker, bytes)} and tells the policy
 *       ({@link ResidencyPolicy#loaded}), holding no engine lock (a read that waits for a key
 *       move leaves the value on disk); a lost swap means a write or a relocation came first,
 *       and the read still returns what was current when it looked. Writes that need the old
 *       value ({@code replace}, {@code putIfAbsent}) load it under their lock and leave it on
 *       disk.</li>
 *   <li><b>Snapshots</b> get markers as locations to copy from, and swap each marker to its
 *       copy in the snapshot ({@link JournalHost#relocated}) before the journal deletes files.</li>
 *   <li><b>Recovery</b> with a policy keeps every recovered value on disk (the engine starts
 *       cold and the policy brings the hot set back in); without one, on the heap.</li>
 * </ul>
 * {@code ShardMetrics.bytes} counts the values in both forms; {@code beyondBytes} the ones on
 * disk only, so the heap holds the difference.
 *
 * <h2>Moving keys between shards</h2>
 * A plugin that routes (gravity) may move keys between shards online through the
 * {@link KeyMover} the engine offers it ({@link Mover}). Such an engine takes the stripe locks
 * for every write, also in memory, and a {@link StampedLock} ({@code moves}) guards reads: a
 * move holds the move lock (which a snapshot's visit of the entries holds too), every stripe
 * and the stamp's write lock while it copies the keys, switches the route and removes the
 * originals. A read routes and reads under an optimistic stamp and does it again if a move
 * overlapped (under the read lock if one is running). So writes never race a move, reads never
 * see its middle, and no key is in two shards afterwards. Engines whose router is the
 * {@link HashRouter} have {@code moves == null}: their reads pay one null check, their
 * in-memory writes stay lock-free. A move writes nothing to the journal (it is keyed by key):
 * after recovery, once the plugins have started and the router knows its overrides, the engine
 * re-homes every recovered key to the shard it routes to ({@link #rehome}).
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
 * <p>Closing sets a flag (once: a compare-and-set, so concurrent closes close once) checked at
 * the start of each call: a call already past the check when {@link #close()} runs may still
 * complete.
 */
final class ShardedEngine implements WarpEngine {

  private static final Logger LOG = LoggerFactory.getLogger(ShardedEngine.class);

  private final Shard[] shards;
  private final Inputs inputs;
  private final PluginHost plugins;
  /** Per hook, the plugins that implement it (most implement a few). */
  private final PluginHost.LoadedPlugin[] beforePutHooks;
  private final PluginHost.LoadedPlugin[] putHooks;
  private final PluginHost.LoadedPlugin[] getHooks;
  private final PluginHost.LoadedPlugin[] deleteHooks;
  private final PluginHost.LoadedPlugin[] loadHooks;
  private final ShardRouter router;
  /** The durable log, null for an in-memory engine. */
  private final Journal journal;
  /**
   * Per-key locks that order durable writes (and every write of an engine whose keys can move);
   * null for an in-memory engine that hash-routes.
   */
  private final ReentrantLock[] stripes;
  /** Guards reads against moves of keys between shards; null unless a plugin routes. */
  private final StampedLock moves;
  /** Held by a move and by a snapshot's visit of the entries, which a move must not split. */
  private final ReentrantLock moveLock = new ReentrantLock();
  private final AtomicBoolean closed = new AtomicBoolean();
  /** The bound residency policy, or null. */
  private final ResidencyPolicy residency;

  private static final int STRIPES = 1024;
  /** A cap on recovery's hint (a journal's word, not checked): beyond it maps grow as usual. */
  private static final int MAX_PRESIZED_ENTRIES_PER_SHARD = 1 << 24;

  ShardedEngine(EngineConfig options) {
    int count = options.shards();
    if (count < 1 || count > WarpOptions.MAX_SHARDS || Integer.bitCount(count) != 1) {
      throw new IllegalArgumentException("shards must be a power of two from 1 to "
          + WarpOptions.MAX_SHARDS + ", was " + count);
    }
    if (options.maxValueBytes() < 1) {
      throw new IllegalArgumentException("maxValueBytes must be at least 1, was "
          + options.maxValueBytes());
    }
    this.inputs = new Inputs(options.maxValueBytes());
    this.shards = new Shard[count];
    for (int i = 0; i < shards.length; i++) {
      shards[i] = new Shard(i);
    }
    this.plugins = PluginHost.create(options, new ReadView(), this::deleteIf);
    Journal opened = null;
    try {
      Optional<ShardRouter> routing = plugins.exclusive(ShardRouter.class);
      this.router = routing.orElseGet(() -> new HashRouter(shards.length));
      this.moves = routing.isPresent() ? new StampedLock() : null;
      this.stripes = options.dataDirectory().isPresent() || moves != null ? newStripes() : null;
      this.beforePutHooks = plugins.implementing("beforePut", String.class);
      this.putHooks = plugins.implementing("onPut", String.class, int.class, int.class,
          PutOptions.class);
      this.getHooks = plugins.implementing("onGet", String.class, int.class, boolean.class);
      this.deleteHooks = plugins.implementing("onDelete", String.class, int.class);
      this.loadHooks = plugins.implementing("onLoad", String.class, int.class);
      this.residency = plugins.exclusive(ResidencyPolicy.class).orElse(null);
      opened = openJournal(options); // recovery routes keys, so it needs the router
      this.journal = opened;
      if (residency != null) {
        residency.bind(new Horizon());
      }
      if (moves != null) {
        plugins.offerMover(ShardRouter.class, new Mover());
      }
      plugins.start();
      if (moves != null && journal != null) {
        rehome();
      }
    } catch (RuntimeException e) {
      try {
        plugins.close();
      } catch (RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      } finally {
        if (opened != null) {
          try {
            opened.close(); // releases the data directory's lock
          } catch (RuntimeException suppressed) {
            e.addSuppressed(suppressed);
          }
        }
      }
      throw e;
    }
    LOG.debug("Warp engine open: {} shards, plugins {}", shards.length, plugins.names());
  }

  private static ReentrantLock[] newStripes() {
    ReentrantLock[] locks = new ReentrantLock[STRIPES];
    for (int i = 0; i < STRIPES; i++) {
      locks[i] = new ReentrantLock();
    }
    return locks;
  }

  /** Opens and replays the journal if the options ask for one and a module provides it. */
  private Journal openJournal(EngineConfig options) {
    if (options.dataDirectory().isEmpty()) {
      return null;
    }
    Optional<JournalFactory> factory = ServiceLoader
        .load(JournalFactory.class, ShardedEngine.class.getClassLoader()).findFirst();
    if (factory.isEmpty()) {
      LOG.warn("Data directory {} is set but no journal module (warp-wal) is on the path: this"
          + " engine stays in memory and keeps nothing on disk", options.dataDirectory().get());
      return null;
    }
    Journal j = factory.get().open(options, new JournalHost());
    try {
      Restorer restorer = new Restorer();
      long last = j.recover(restorer);
      plugins.attachJournal(j, restorer.metadata);
      LOG.info("Warp engine recovered {} entries up to sequence {} from {}", size(), last,
          options.dataDirectory().get());
    } catch (RuntimeException e) {
      try {
        j.close();
      } catch (RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
    return j;
  }

  // ---------------------------------------------------------------- single-key operations

  @Override
  public void put(String key, byte[] value, PutOptions options) {
    checkOpen();
    Inputs.checkWritableKey(key);
    inputs.checkValue(key, value, "value");
    Objects.requireNonNull(options, "options");
    fireBeforePut(key);
    if (stripes != null) {
      lockedPut(key, value.clone(), options);
    } else {
      store(key, value.clone(), options);
    }
  }

  private void store(String key, byte[] copy, PutOptions options) {
    Shard shard = shardFor(key);
    shard.recordWrite(copy, shard.map.put(key, copy));
    firePut(key, shard.index, copy.length, options);
  }

  @Override
  public byte[] get(String key) {
    checkOpen();
    byte[] value = read(key);
    return value == null ? null : value.clone();
  }

  @Override
  public ByteBuffer getReadOnly(String key) {
    checkOpen();
    byte[] value = read(key);
    return value == null ? null : ByteBuffer.wrap(value).asReadOnlyBuffer();
  }

  /**
   * {@code key}'s value, counted as a read once the outcome is known. Lent, not copied: the
   * stored array itself when it is inside the horizon, so callers copy it or wrap it read-only.
   *
   * <p>Checks {@code key} ({@link Inputs#checkKey}) as every read does; where the router is the
   * {@link HashRouter}, a found key only for null ({@link Inputs#checkKeyUnlessFound}).
   */
  private byte[] read(String key) {
    if (moves != null) {
      Inputs.checkKey(key);
      return stableRead(key);
    }
    Inputs.checkKeyNotNull(key);
    Shard shard = shardFor(key);
    Object stored = shard.map.get(key);
    Inputs.checkKeyUnlessFound(key, stored != null);
    return readDone(shard, key, stored, lent(key, stored, true));
  }

  /** Counts a read of {@code stored} that gave {@code value}, and runs the hooks. */
  private byte[] readDone(Shard shard, String key, Object stored, byte[] value) {
    if (stored instanceof Beyond && value != null) {
      fireLoad(key, shard.index);
    }
    counted(shard, key, value != null);
    return value;
  }

  /**
   * {@link #read} in an engine whose keys can move: under an optimistic stamp, again if a move
   * overlapped, under the read lock if one is running (see "Moving keys between shards"). Under
   * the read lock a value beyond the horizon is read but left there: bringing it inside would
   * call {@link ResidencyPolicy#loaded}, which may drain the policy and so take stripe locks
   * that the running move holds while it waits for this read to finish.
   */
  private byte[] stableRead(String key) {
    long stamp = moves.tryOptimisticRead();
    boolean locked = false;
    try {
      while (true) {
        if (stamp == 0) {
          stamp = moves.readLock();
          locked = true;
        }
        Shard shard = shardFor(key);
        Object stored = shard.map.get(key);
        byte[] value = lent(key, stored, !locked);
        if (locked || moves.validate(stamp)) {
          return readDone(shard, key, stored, value);
        }
        stamp = 0;
      }
    } finally {
      if (locked) {
        moves.unlockRead(stamp);
      }
    }
  }

  /**
   * {@code action}'s result from a state no move was changing: for the reads off the hot path
   * (routing then looking) in an engine whose keys can move. The action may run more than once.
   */
  private <T> T stable(Supplier<T> action) {
    if (moves == null) {
      return action.get();
    }
    long stamp = moves.tryOptimisticRead();
    if (stamp != 0) {
      T result = action.get();
      if (moves.validate(stamp)) {
        return result;
      }
    }
    stamp = moves.readLock();
    try {
      return action.get();
    } finally {
      moves.unlockRead(stamp);
    }
  }

  private void counted(Shard shard, String key, boolean hit) {
    shard.recordRead(hit);
    fireGet(key, shard.index, hit);
  }

  /**
   * A copy of the value a map held for {@code key}, read from disk if it is beyond the horizon
   * but left there (see {@link #lent}): for the looks that are not a get (a conditional write
   * comparing, a scan, a plugin's peek), which must not change what the horizon holds.
   */
  private byte[] valueOf(String key, Object stored) {
    byte[] value = lent(key, stored, false);
    return value == null ? null : value.clone();
  }

  /**
   * The value a map held for {@code key}: the stored array itself, or what the journal reads
   * back for a marker (which may become the stored array: {@code bringInside} puts a loaded
   * value back on the heap). Never hand it out unless copied or wrapped read-only.
   */
  private byte[] lent(String key, Object stored, boolean bringInside) {
    if (stored instanceof byte[] b) {
      return b;
    }
    return stored == null ? null : load(key, (Beyond) stored, bringInside);
  }

  /**
   * Reads a value beyond the horizon back. If its file is gone (a snapshot relocated it), looks
   * the entry up again and reads what it holds now, which may be nothing (null: deleted
   * meanwhile; the read then takes effect at that look-up). The result may be the stored
   * array: copy it.
   */
  private byte[] load(String key, Beyond beyond, boolean bringInside) {
    Shard shard = shardFor(key);
    Beyond b = beyond;
    while (true) {
      byte[] value = journal.read(key, b.location(), b.length());
      if (value != null) {
        boolean inside = bringInside && shard.map.replace(key, b, value);
        shard.recordDiskLoad(b, inside);
        if (inside) {
          residency.loaded(key, shard.index, value.length);
        }
        return value;
      }
      Object now = shard.map.get(key);
      if (!(now instanceof Beyond next)) {
        return (byte[]) now; // brought inside meanwhile, or deleted
      }
      if (next.equals(b)) {
        throw new IllegalStateException("warp: the value of '" + key + "' is beyond the horizon"
            + " at a journal location whose file is gone, and no snapshot moved it");
      }
      b = next;
    }
  }

  @Override
  public boolean contains(String key) {
    checkOpen();
    Shard shard;
    boolean hit;
    if (moves == null) {
      Inputs.checkKeyNotNull(key);
      shard = shardFor(key);
      hit = shard.map.containsKey(key);
      Inputs.checkKeyUnlessFound(key, hit);
    } else {
      Inputs.checkKey(key);
      Shard found = stable(() -> {
        Shard s = shardFor(key);
        return s.map.containsKey(key) ? s : null;
      });
      hit = found != null;
      shard = hit ? found : shardFor(key);
    }
    counted(shard, key, hit);
    return hit;
  }

  @Override
  public boolean delete(String key) {
    checkOpen();
    Inputs.checkKey(key);
    if (stripes != null) {
      return lockedDelete(key, () -> true);
    }
    Shard shard = shardFor(key);
    Object removed = shard.map.remove(key);
    if (removed == null) {
      return false;
    }
    shard.recordDelete(removed);
    fireDelete(key, shard.index);
    return true;
  }

  /**
   * A plugin's conditional delete ({@link io.warpengine.spi.PluginContext#deleteIf}): a
   * {@link #delete} that happens only if {@code condition}, asked atomically with it (inside the
   * map's {@code computeIfPresent}, or under the key's stripe lock when durable), agrees.
   */
  private boolean deleteIf(String key, BooleanSupplier condition) {
    checkOpen();
    Inputs.checkKey(key);
    Objects.requireNonNull(condition, "condition");
    if (stripes != null) {
      return lockedDelete(key, condition);
    }
    Shard shard = shardFor(key);
    Object[] removed = new Object[1];
    shard.map.computeIfPresent(key, (k, v) -> {
      if (!condition.getAsBoolean()) {
        return v;
      }
      removed[0] = v;
      return null;
    });
    if (removed[0] == null) {
      return false;
    }
    shard.recordDelete(removed[0]);
    fireDelete(key, shard.index);
    return true;
  }

  @Override
  public byte[] putIfAbsent(String key, byte[] value) {
    checkOpen();
    Inputs.checkWritableKey(key);
    inputs.checkValue(key, value, "value");
    fireBeforePut(key);
    if (stripes != null) {
      return lockedPutIfAbsent(key, value.clone());
    }
    Shard shard = shardFor(key);
    byte[] copy = value.clone();
    Object existing = shard.map.putIfAbsent(key, copy);
    if (existing != null) {
      return ((byte[]) existing).clone(); // in memory: never beyond
    }
    shard.recordWrite(copy, null);
    firePut(key, shard.index, copy.length, PutOptions.DEFAULT);
    return null;
  }

  @Override
  public boolean replace(String key, byte[] expected, byte[] newValue) {
    checkOpen();
    Inputs.checkWritableKey(key);
    inputs.checkValue(key, expected, "expected value");
    inputs.checkValue(key, newValue, "new value");
    fireBeforePut(key);
    if (stripes != null) {
      return lockedReplace(key, expected, newValue.clone());
    }
    Shard shard = shardFor(key);
    byte[] copy = newValue.clone();
    for (Object seen = shard.map.get(key); seen instanceof byte[] b && Arrays.equals(b, expected);
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
      Inputs.checkWritableKey(e.getKey());
      inputs.checkValue(e.getKey(), e.getValue(), "value");
      copies.put(e.getKey(), e.getValue().clone());
    }
    copies.keySet().forEach(this::fireBeforePut);
    if (stripes != null) {
      lockedPutAll(copies, options);
    } else {
      copies.forEach((key, copy) -> store(key, copy, options));
    }
  }

  // ---------------------------------------------------------------- locked (durable or movable) writes

  private static int stripeIndex(String key) {
    int h = key.hashCode();
    return (h ^ (h >>> 16)) & (STRIPES - 1);
  }

  /** A locked single-key write, decided under the key's stripe lock. */
  @FunctionalInterface
  private interface KeyWrite {
    /**
     * Appends and applies the write given the key's current stored value (a {@code byte[]}, a
     * {@link Beyond} or null), or changes nothing.
     *
     * @return the journal sequence of the record (0 without a journal), or {@link #NO_WRITE}
     */
    long apply(Shard shard, Object current);
  }

  private static final long NO_WRITE = -1;

  /**
   * Runs {@code write} under the key's stripe lock, then (with a journal) waits, without the
   * lock, until its record is durable, and runs the hooks of what was written: a put of
   * {@code copy} with {@code options}, or a delete when {@code copy} is null. The hooks run also
   * when the wait fails: the map has changed by then, so the plugins must hear of it. (No
   * callback parameter: a capturing lambda here would allocate on every durable write.)
   *
   * @return whether {@code write} changed anything
   */
  private boolean locked(String key, KeyWrite write, byte[] copy, PutOptions options) {
    ReentrantLock lock = stripes[stripeIndex(key)];
    Shard shard;
    long sequence;
    lock.lock();
    try {
      shard = shardFor(key);
      sequence = write.apply(shard, shard.map.get(key));
    } finally {
      lock.unlock();
    }
    if (sequence == NO_WRITE) {
      return false;
    }
    try {
      if (journal != null) {
        journal.awaitDurable(sequence);
      }
    } finally {
      if (copy == null) {
        fireDelete(key, shard.index);
      } else {
        firePut(key, shard.index, copy.length, options);
      }
    }
    return true;
  }

  /**
   * Appends a put and applies it; under the key's stripe lock. The displaced value comes from
   * the map (a read may have brought it inside since the caller looked).
   */
  private long logPut(Shard shard, String key, byte[] copy) {
    long sequence = journal == null ? 0 : journal.appendPut(key, copy);
    shard.recordWrite(copy, shard.map.put(key, copy));
    return sequence;
  }

  private void lockedPut(String key, byte[] copy, PutOptions options) {
    locked(key, (s, current) -> logPut(s, key, copy), copy, options);
  }

  /** A delete under the key's stripe lock, made only if {@code condition}, asked under it, agrees. */
  private boolean lockedDelete(String key, BooleanSupplier condition) {
    return locked(key, (s, current) -> {
      if (current == null || !condition.getAsBoolean()) {
        return NO_WRITE;
      }
      long sequence = journal == null ? 0 : journal.appendDelete(key);
      s.recordDelete(s.map.remove(key));
      return sequence;
    }, null, null);
  }

  private byte[] lockedPutIfAbsent(String key, byte[] copy) {
    byte[][] existing = new byte[1][];
    locked(key, (s, current) -> {
      if (current != null) {
        existing[0] = valueOf(key, current);
        return NO_WRITE;
      }
      return logPut(s, key, copy);
    }, copy, PutOptions.DEFAULT);
    return existing[0];
  }

  private boolean lockedReplace(String key, byte[] expected, byte[] copy) {
    return locked(key, (s, current) -> {
      byte[] seen = valueOf(key, current);
      if (seen == null || !Arrays.equals(seen, expected)) {
        return NO_WRITE;
      }
      return logPut(s, key, copy);
    }, copy, PutOptions.DEFAULT);
  }

  /** One batch record; the stripes of all keys are held, in ascending order, around it. */
  private void lockedPutAll(Map<String, byte[]> copies, PutOptions options) {
    if (copies.isEmpty()) {
      return;
    }
    int[] locks = copies.keySet().stream().mapToInt(ShardedEngine::stripeIndex).distinct()
        .sorted().toArray();
    long sequence;
    int locked = 0;
    try {
      for (int l : locks) {
        stripes[l].lock();
        locked++;
      }
      sequence = journal == null ? 0 : journal.appendBatch(copies);
      copies.forEach((key, copy) -> {
        Shard shard = shardFor(key);
        shard.recordWrite(copy, shard.map.put(key, copy));
      });
    } finally {
      while (locked > 0) {
        stripes[locks[--locked]].unlock();
      }
    }
    try {
      if (journal != null) {
        journal.awaitDurable(sequence);
      }
    } finally { // as in locked(): the maps have changed, whether the wait succeeds or not
      copies.forEach((key, copy) -> firePut(key, router.route(key), copy.length, options));
    }
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
    TreeMap<String, Object> found = stable(() -> {
      TreeMap<String, Object> within = new TreeMap<>();
      for (Shard shard : shards) {
        shard.map.forEach((key, value) -> {
          if (key.startsWith(prefix) && (within.size() < limit || key.compareTo(within.lastKey()) < 0)) {
            within.put(key, value);
            if (within.size() > limit) {
              within.pollLastEntry();
            }
          }
        });
      }
      return within;
    });
    TreeMap<String, byte[]> out = new TreeMap<>();
    found.forEach((key, value) -> {
      byte[] copy = valueOf(key, value);
      if (copy != null) { // null: deleted while the marker was being read back
        out.put(key, copy);
      }
    });
    return out;
  }

  @Override
  public long size() {
    checkOpen();
    return stable(() -> {
      long n = 0;
      for (Shard shard : shards) {
        n += shard.map.mappingCount();
      }
      return n;
    });
  }

  // ---------------------------------------------------------------- plugins and metrics

  @Override
  public <T> Optional<T> plugin(Class<T> type) {
    checkOpen();
    return plugins.capability(Objects.requireNonNull(type, "type"));
  }

  @Override
  public List<String> pluginNames() {
    checkOpen();
    return plugins.names();
  }

  @Override
  public boolean isDurable() {
    checkOpen();
    return journal != null;
  }

  @Override
  public MetricsSnapshot metrics() {
    checkOpen();
    return snapshotOfCounters();
  }

  private MetricsSnapshot snapshotOfCounters() {
    List<ShardMetrics> perShard = new ArrayList<>(shards.length);
    for (Shard shard : shards) {
      perShard.add(shard.metrics());
    }
    Map<String, Map<String, Number>> extra = plugins.metrics();
    if (journal != null) {
      extra = new LinkedHashMap<>(extra);
      extra.put(PluginHost.JOURNAL_METRICS, Map.copyOf(journal.metrics()));
    }
    return new MetricsSnapshot(perShard, extra);
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return; // closed already, or being closed by another thread
    }
    try {
      plugins.close();
    } finally {
      if (journal != null) {
        journal.close();
      }
    }
    MetricsSnapshot m = snapshotOfCounters();
    LOG.info("Warp engine closed: {} entries, {} value bytes ({} entries, {} bytes beyond the"
            + " horizon) in {} shards; {} reads ({} misses, {} disk loads), {} writes, {} deletes,"
            + " {} evictions; plugins {}", m.entries(), m.bytes(), m.beyondEntries(),
        m.beyondBytes(), shards.length, m.reads(), m.misses(), m.diskLoads(), m.writes(),
        m.deletes(), m.evictions(), plugins.names());
  }

  private void checkOpen() {
    if (closed.get()) {
      throw new IllegalStateException("this Warp engine is closed");
    }
  }

  private Shard shardFor(String key) {
    return shards[router.route(key)];
  }

  // ---------------------------------------------------------------- moving keys

  /** Runs {@code action} holding every stripe lock (in ascending order). */
  private <T> T allStripes(Supplier<T> action) {
    int locked = 0;
    try {
      for (ReentrantLock l : stripes) {
        l.lock();
        locked++;
      }
      return action.get();
    } finally {
      while (locked > 0) {
        stripes[--locked].unlock();
      }
    }
  }

  /**
   * Runs {@code action} with no write in progress, no snapshot visiting the entries, and readers
   * told to retry: the move lock, every stripe, then the stamp's write lock.
   */
  private <T> T exclusively(Supplier<T> action) {
    moveLock.lock();
    try {
      return allStripes(() -> {
        long stamp = moves.writeLock();
        try {
          return action.get();
        } finally {
          moves.unlockWrite(stamp);
        }
      });
    } finally {
      moveLock.unlock();
    }
  }

  /** Moves {@code key} from {@code source} to {@code target}; exclusively. */
  private static void transfer(String key, Shard source, Shard target) {
    target.restore(key, source.map.get(key));
    source.restoreDelete(key);
  }

  /**
   * After recovery and the plugins' start: puts every key in the shard the router sends it to
   * now (recovery routed with a router that did not yet know its overrides).
   */
  private void rehome() {
    long moved = exclusively(() -> {
      long n = 0;
      for (Shard shard : shards) {
        for (String key : List.copyOf(shard.map.keySet())) {
          Shard home = shardFor(key);
          if (home != shard) {
            transfer(key, shard, home);
            n++;
          }
        }
      }
      return n;
    });
    if (moved > 0) {
      LOG.info("Warp engine re-homed {} recovered keys to their routed shards", moved);
    }
  }

  /** The {@link KeyMover} offered to the routing plugin; see "Moving keys between shards". */
  private final class Mover implements KeyMover {
    @Override
    public long move(Predicate<String> members, int from, int to, Runnable switchRoute) {
      checkOpen();
      Objects.requireNonNull(members, "members");
      Objects.requireNonNull(switchRoute, "switchRoute");
      if (from < 0 || from >= shards.length || to < 0 || to >= shards.length) {
        throw new IllegalArgumentException("shards must be in [0, " + shards.length
            + "), were from=" + from + " to=" + to);
      }
      if (from == to) {
        throw new IllegalArgumentException("a move needs two different shards, both were " + from);
      }
      return exclusively(() -> {
        Shard source = shards[from];
        List<String> keys = new ArrayList<>();
        for (String key : source.map.keySet()) {
          if (members.test(key)) {
            if (shards[to].map.containsKey(key)) {
              throw new IllegalStateException("warp: key '" + key + "' is in shards " + from
                  + " and " + to + " at once; nothing moved");
            }
            keys.add(key);
          }
        }
        switchRoute.run();
        long moved = 0;
        for (String key : keys) {
          Shard home = shardFor(key);
          if (home != source) {
            transfer(key, source, home);
            moved++;
          }
        }
        return moved;
      });
    }
  }

  // ---------------------------------------------------------------- hook dispatch

  private void firePut(String key, int shard, int bytes, PutOptions options) {
    for (PluginHost.LoadedPlugin p : putHooks) {
      try {
        p.plugin.onPut(key, shard, bytes, options);
      } catch (RuntimeException e) {
        p.hookFailed(e);
      }
    }
  }

  private void fireGet(String key, int shard, boolean hit) {
    for (PluginHost.LoadedPlugin p : getHooks) {
      try {
        p.plugin.onGet(key, shard, hit);
      } catch (RuntimeException e) {
        p.hookFailed(e);
      }
    }
  }

  /** A hook that takes a key and its shard: {@code PhysicsPlugin::onDelete} or {@code ::onLoad}. */
  @FunctionalInterface
  private interface KeyHook {
    void call(PhysicsPlugin plugin, String key, int shard);
  }

  /** {@code beforePut} as a {@link KeyHook}: it takes no shard (the write is not routed yet). */
  private static final KeyHook BEFORE_PUT = (plugin, key, shard) -> plugin.beforePut(key);

  private void fireBeforePut(String key) {
    fire(beforePutHooks, BEFORE_PUT, key, -1);
  }

  private void fireLoad(String key, int shard) {
    fire(loadHooks, PhysicsPlugin::onLoad, key, shard);
  }

  private void fireDelete(String key, int shard) {
    fire(deleteHooks, PhysicsPlugin::onDelete, key, shard);
  }

  private void fire(PluginHost.LoadedPlugin[] implementing, KeyHook hook, String key, int shard) {
    for (PluginHost.LoadedPlugin p : implementing) {
      try {
        hook.call(p.plugin, key, shard);
      } catch (RuntimeException e) {
        p.hookFailed(e);
      }
    }
  }

  // ---------------------------------------------------------------- the event horizon

  /**
   * The engine's side of the memory boundary. With a journal, a released value goes beyond the
   * horizon (see the class comment). Without one it has nowhere else to live, so the entry is
   * evicted: removed, counted as an eviction (not a delete), and no delete hook runs.
   */
  private final class Horizon implements ResidencyPolicy.EventHorizon {
    @Override
    public boolean release(String key) {
      if (journal != null) {
        return spill(key);
      }
      if (stripes == null) {
        return evict(key);
      }
      ReentrantLock lock = stripes[stripeIndex(key)];
      lock.lock();
      try {
        return evict(key);
      } finally {
        lock.unlock();
      }
    }

    private boolean evict(String key) {
      Shard shard = shardFor(key);
      Object removed = shard.map.remove(key);
      if (removed == null) {
        return false;
      }
      shard.recordEviction(removed);
      return true;
    }

    /** Swaps the key's array for a marker, after the journal logged a copy; under its lock. */
    private boolean spill(String key) {
      ReentrantLock lock = stripes[stripeIndex(key)];
      lock.lock();
      try {
        Shard shard = shardFor(key);
        if (!(shard.map.get(key) instanceof byte[] value)) {
          return false;
        }
        Beyond beyond = new Beyond(journal.spill(key, value), value.length);
        // Under the lock no write can change the array; reads only swap markers.
        boolean released = shard.map.replace(key, value, beyond);
        if (released) {
          shard.recordRelease(beyond);
        }
        return released;
      } catch (UncheckedIOException e) {
        LOG.warn("Keeping '{}' on the heap: the journal could not take a copy ({})", key,
            e.getMessage());
        return false;
      } finally {
        lock.unlock();
      }
    }

    @Override
    public boolean durable() {
      return journal != null;
    }
  }

  // ---------------------------------------------------------------- the journal's view

  /** What the journal sees of the engine: a barrier for snapshots, and the live entries. */
  private final class JournalHost implements Journal.Host {
    @Override
    public <T> T quiesced(Supplier<T> action) {
      return allStripes(action);
    }

    @Override
    public void forEachEntry(Journal.EntryVisitor visitor) {
      moveLock.lock(); // a move in the middle could hide a key from both shards' visits
      try {
        visitEntries(visitor);
      } finally {
        moveLock.unlock();
      }
    }

    private void visitEntries(Journal.EntryVisitor visitor) {
      for (Shard shard : shards) {
        shard.map.forEach((key, value) -> {
          if (value instanceof Beyond b) {
            visitor.beyond(key, b.location(), b.length());
          } else {
            visitor.inside(key, (byte[]) value);
          }
        });
      }
    }

    @Override
    public void relocated(String key, long from, long to) {
      stable(() -> { // idempotent, so it may run again after a move
        Shard shard = shardFor(key);
        if (shard.map.get(key) instanceof Beyond b && b.location() == from) {
          shard.map.replace(key, b, new Beyond(to, b.length()));
        }
        return null;
      });
    }
  }

  /**
   * Applies the recovered state to the shards, counting bytes but no writes. With a residency
   * policy, values stay on disk: the engine starts cold and the policy brings in the hot set.
   */
  private final class Restorer implements Journal.RecoveryHandler {
    final Map<String, byte[]> metadata = new LinkedHashMap<>();

    /** Sizes each shard for its share, with an eighth to spare for a router's unevenness. */
    @Override
    public void expect(long entries) {
      long share = Math.max(0, entries) / shards.length;
      int perShard = (int) Math.min(MAX_PRESIZED_ENTRIES_PER_SHARD, share + share / 8 + 1);
      for (Shard s : shards) {
        s.presize(perShard);
      }
    }

    @Override
    public void put(String key, byte[] value) {
      shardFor(key).restore(key, value);
    }

    @Override
    public void put(String key, byte[] value, long location) {
      shardFor(key).restore(key, residency == null ? value : new Beyond(location, value.length));
    }

    @Override
    public void delete(String key) {
      shardFor(key).restoreDelete(key);
    }

    @Override
    public void metadata(String owner, byte[] payload) {
      metadata.put(owner, payload);
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
      return stable(() -> shardFor(key).map.containsKey(key));
    }

    @Override
    public boolean resident(String key) {
      Inputs.checkKey(key);
      return stable(() -> shardFor(key).map.get(key) instanceof byte[]);
    }

    @Override
    public byte[] peek(String key) {
      Inputs.checkKey(key);
      return stable(() -> valueOf(key, shardFor(key).map.get(key)));
    }

    @Override
    public Map<String, byte[]> peekAll(Collection<String> keys) {
      Map<String, byte[]> values = new HashMap<>();
      List<String> coldKeys = new ArrayList<>();
      List<Beyond> cold = new ArrayList<>();
      for (String key : keys) {
        Inputs.checkKey(key);
        Object stored = stable(() -> shardFor(key).map.get(key));
        if (stored instanceof byte[] b) {
          values.put(key, b.clone());
        } else if (stored instanceof Beyond beyond) {
          coldKeys.add(key);
          cold.add(beyond);
        }
      }
      if (!cold.isEmpty()) {
        readTogether(coldKeys, cold, values);
      }
      Map<String, byte[]> inOrder = new LinkedHashMap<>();
      for (String key : keys) {
        byte[] value = values.get(key);
        if (value != null) {
          inOrder.putIfAbsent(key, value);
        }
      }
      return inOrder;
    }

    @Override
    public boolean prefetch(String key) {
      Inputs.checkKey(key);
      return stable(() -> shardFor(key).map.get(key)) instanceof Beyond beyond
          && load(key, beyond, true) != null
          && stable(() -> shardFor(key).map.get(key)) instanceof byte[];
    }

    /** Reads values beyond the horizon as one journal batch, leaving them beyond it. */
    private void readTogether(List<String> keys, List<Beyond> cold, Map<String, byte[]> values) {
      long[] locations = new long[cold.size()];
      int[] lengths = new int[cold.size()];
      for (int i = 0; i < locations.length; i++) {
        locations[i] = cold.get(i).location();
        lengths[i] = cold.get(i).length();
      }
      byte[][] read = journal.readAll(keys.toArray(String[]::new), locations, lengths);
      for (int i = 0; i < read.length; i++) {
        String key = keys.get(i);
        if (read[i] != null) {
          shardFor(key).recordDiskLoad(cold.get(i), false);
          values.put(key, read[i]);
        } else { // its file is gone: a snapshot moved it; look it up again
          byte[] now = load(key, cold.get(i), false);
          if (now != null) {
            values.put(key, now.clone());
          }
        }
      }
    }

    @Override
    public void forEach(int shard, BiConsumer<String, byte[]> visitor) {
      shards[Objects.checkIndex(shard, shards.length)].map.forEach((key, value) -> {
        byte[] bytes = value instanceof byte[] b ? b : load(key, (Beyond) value, false);
        if (bytes != null) {
          visitor.accept(key, bytes);
        }
      });
    }
  }
}
