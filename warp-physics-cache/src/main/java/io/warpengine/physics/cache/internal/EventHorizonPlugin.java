package io.warpengine.physics.cache.internal;

import io.warpengine.api.Priority;
import io.warpengine.api.PutOptions;
import io.warpengine.api.ShardMetrics;
import io.warpengine.physics.cache.EventHorizon;
import io.warpengine.spi.KeySampleBuffer;
import io.warpengine.spi.PeriodicTasks;
import io.warpengine.spi.PhysicsPlugin;
import io.warpengine.spi.PluginConfig;
import io.warpengine.spi.PluginContext;
import io.warpengine.spi.ResidencyPolicy;
import io.warpengine.spi.ShardView;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The event horizon plugin: records accesses on the hot path and applies them to an
 * {@link AdaptiveTinyLfu} policy off it.
 *
 * <h2>Concurrency model</h2>
 * The engine's hooks run on callers' threads and allocate nothing. A read is offered to a
 * lossy, striped {@link KeySampleBuffer}: while its stripe has room that is one CAS. Once a
 * stripe is full (under load, soon after each drain) the buffer's flag says so, and until the
 * next drain every read skips it after one load of that flag, with no atomic write and no
 * drain requested. So a busy engine's policy learns from the reads recorded after each drain, a
 * sample in time that is unbiased as to keys, and the get path stays cheap;
 * a quiet one (or one drained after each call, as {@code ./warp trace} does) records every
 * read. Recording one read in N instead would be cheaper still but cost up to 9 points of hit
 * rate on the shared traces. A write, delete or load from disk is appended to a bounded
 * {@link WriteBuffer} and is never dropped, because the policy must see every entry to account
 * for its weight: a caller that finds it full drains it on its own thread (the engine calls
 * these hooks with none of its locks held). That is the back-pressure that bounds the heap: a
 * reader bringing values back from disk faster than the background drain pushes others out
 * waits for its own drain, rather than queueing events without end while the values they
 * account for pile up inside. Once a sixteenth of the buffer waits, a write schedules one
 * drain on the engine's plugin scheduler if none is pending (a scheduled task is an
 * allocation, so not for every write); a periodic drain catches the rest. The drain runs
 * under a lock on one thread at a time: it applies reads, then writes, to the policy,
 * which pushes the least valuable entries out through the engine's
 * {@link ResidencyPolicy.EventHorizon}.
 *
 * <p>So the budget is enforced shortly after a write, not within it: between drains (at most
 * the drain interval apart) the resident weight may exceed the budget by what was written
 * since the last drain, at most the write buffer's capacity of events (and one event more per
 * thread about to offer its own). {@link #cleanUp()} drains on the calling thread, for an
 * exact state at a point in time. Closing waits for a running drain and stops the drains, so
 * none releases values while the journal closes.
 *
 * <h2>Two modes</h2>
 * Without {@code warp-wal} ({@code durable=0} in the metrics) a value pushed beyond the horizon
 * is evicted from the engine, which then behaves as a bounded cache. With it ({@code
 * durable=1}) the value leaves the heap and the entry keeps only its log location; a later
 * read loads it from disk (counted as {@code diskLoads}) and brings it back inside, which the
 * engine reports through {@link #loaded}: the policy then tracks it again like a write, so the
 * budget bounds the values on the heap in both modes.
 *
 * <p>In eviction mode a release can race with a concurrent put of the same key: the new value
 * is evicted too, which a cache may do (with a journal the engine never releases a value that
 * a concurrent write replaced). A write or load is applied to the policy only if the key's
 * value is on the heap when the drain gets to it, so the policy never keeps tracking an entry
 * the engine no longer holds inside (such "phantoms", with their accumulated mass, would
 * otherwise win every admission contest); the last event of a key is drained after its last
 * change, so the policy ends up agreeing with the engine. Releases that find the key already
 * gone or beyond are counted as {@code staleEvictions}.
 */
final class EventHorizonPlugin implements PhysicsPlugin, ResidencyPolicy, EventHorizon {

  private static final Duration DEFAULT_DRAIN_INTERVAL = Duration.ofMillis(50);

  /** The policy's figures as of the last drain, published for readers of the metrics. */
  private record Stats(long residentWeight, int trackedEntries, long evictions,
                       long staleEvictions, long admissionRejections, double windowShare,
                       long recordedReads) {}

  // A write event is a weight (≥ 0), with PINNED set for a CRITICAL write, or REMOVAL.
  private static final long REMOVAL = -1;
  private static final long PINNED = 1L << 62;
  private static final int DEFAULT_WRITE_BUFFER = 1_024;

  private final PluginContext context;
  private final ShardView shards;
  private final boolean countsEntries;
  private final long budget;
  private final Duration drainInterval;
  private final KeySampleBuffer reads = new KeySampleBuffer();
  private final WriteBuffer writes;
  private final AtomicBoolean drainPending = new AtomicBoolean();
  private final ReentrantLock drainLock = new ReentrantLock();
  /** The drain as the scheduler runs it when asked: a failed one is logged. */
  private final Runnable drainTask = PeriodicTasks.logged("cache", "drain", this::scheduledDrain);

  /** Set once by {@link #bind} (null: inert); its state is guarded by drainLock. */
  private volatile AdaptiveTinyLfu policy;
  private volatile Stats lastStats = new Stats(0, 0, 0, 0, 0, 0, 0);
  private volatile ResidencyPolicy.EventHorizon horizon;
  private ScheduledExecutorService scheduler;
  /** The periodic drain; null until start. */
  private PeriodicTasks tasks;
  /** Set by {@link #close} under drainLock: from then on a drain applies nothing. */
  private boolean closed;

  EventHorizonPlugin(PluginContext context) {
    this.context = context;
    this.shards = context.shards();
    PluginConfig config = context.config();
    long maxEntries = notNegative(config.longValue("maxEntries", 0), "cache.maxEntries");
    long budgetBytes = notNegative(config.longValue("budgetBytes", 0), "cache.budgetBytes");
    if (maxEntries > 0 && budgetBytes > 0) {
      throw new IllegalArgumentException(
          "set either cache.maxEntries or cache.budgetBytes, not both");
    }
    this.countsEntries = maxEntries > 0;
    this.budget = countsEntries ? maxEntries
        : budgetBytes > 0 ? budgetBytes : Runtime.getRuntime().maxMemory() / 4;
    this.drainInterval = config.interval("drainInterval", DEFAULT_DRAIN_INTERVAL);
    this.writes = new WriteBuffer(config.intValue("writeBuffer", DEFAULT_WRITE_BUFFER));
  }

  private static long notNegative(long value, String name) {
    if (value < 0) {
      throw new IllegalArgumentException(name + " must not be negative (0 leaves it unset), was "
          + value);
    }
    return value;
  }

  @Override
  public void bind(ResidencyPolicy.EventHorizon engineSide) {
    this.horizon = Objects.requireNonNull(engineSide, "horizon");
    // Entry mode sizes the sketch from the budget; byte mode assumes ~1 KiB values on average.
    long expectedEntries = countsEntries ? budget : Math.max(1_024, budget / 1_024);
    this.policy = new AdaptiveTinyLfu(budget, expectedEntries, !countsEntries,
        (key, weight) -> engineSide.release(key));
  }

  /**
   * Starts draining. An engine that bound no horizon (the plugin was not the engine's residency
   * policy) leaves the plugin inert: it records nothing and evicts nothing, and its metrics say
   * {@code bound=0}.
   */
  @Override
  public void start() {
    if (horizon == null) {
      return;
    }
    scheduler = context.scheduler();
    tasks = new PeriodicTasks("cache", scheduler);
    tasks.every(drainInterval, "drain", this::scheduledDrain);
  }

  // ------------------------------------------------------------------ hot path

  @Override
  public void onGet(String key, int shard, boolean hit) {
    if (policy != null) {
      reads.offer(key);
    }
  }

  @Override
  public void onPut(String key, int shard, int valueBytes, PutOptions options) {
    if (policy == null) {
      return;
    }
    long weight = countsEntries ? 1 : valueBytes;
    record(key, options.priority() == Priority.CRITICAL ? weight | PINNED : weight);
  }

  @Override
  public void loaded(String key, int shard, int valueBytes) {
    record(key, countsEntries ? 1 : valueBytes);
  }

  @Override
  public void onDelete(String key, int shard) {
    if (policy == null) {
      return;
    }
    record(key, REMOVAL);
  }

  /**
   * Queues a write event; if the buffer is full, drains it on this thread first. For onPut,
   * onDelete and loaded, which the engine calls with none of its locks held.
   */
  private void record(String key, long event) {
    while (!writes.offer(key, event)) {
      cleanUp();
    }
    requestDrainIfDue();
  }

  /**
   * Asks for a drain once a sixteenth of the write buffer waits: handing the scheduler a task
   * allocates (about 80 bytes), so not for every write; the periodic drain takes the rest.
   */
  private void requestDrainIfDue() {
    if (writes.size() >= Math.max(1, writes.capacity() / 16)) {
      requestDrain();
    }
  }

  private void requestDrain() {
    if (!drainPending.get() && drainPending.compareAndSet(false, true) && scheduler != null) {
      scheduler.execute(drainTask);
    }
  }

  // ------------------------------------------------------------------ the drain

  /** The drain as the scheduler runs it, skipped if one is running already. */
  private void scheduledDrain() {
    drainPending.set(false);
    if (drainLock.tryLock()) {
      try {
        drainLocked();
      } finally {
        drainLock.unlock();
      }
    }
  }

  @Override
  public void cleanUp() {
    if (policy == null) {
      return;
    }
    drainLock.lock();
    try {
      drainLocked();
    } finally {
      drainLock.unlock();
    }
  }

  /**
   * Reads first, then writes: a miss is usually followed by the caller's put of the same key,
   * and applying the put first would make the policy count the miss as a hit.
   */
  private void drainLocked() {
    if (closed) { // a writer already past the engine's open check still finds room
      writes.drainTo((key, event) -> {});
      return;
    }
    reads.drainTo(policy::recordRead);
    writes.drainTo(this::applyWrite);
    lastStats = new Stats(policy.weight(), policy.size(), policy.evictions(),
        policy.staleEvictions(), policy.admissionRejections(), policy.windowShare(),
        policy.recordedReads());
  }

  private void applyWrite(String key, long event) {
    // Hooks of different threads can queue events in another order than their map updates:
    // a write applied after its key was deleted, evicted or released would leave the policy
    // tracking an entry the engine no longer holds. So it counts only if the value is inside.
    if (event == REMOVAL || !shards.resident(key)) {
      policy.recordRemoval(key);
    } else {
      policy.recordWrite(key, event & ~PINNED, (event & PINNED) != 0);
    }
  }

  /**
   * Waits for a running drain and stops the drains: the engine closes its journal next, and a
   * drain that released values then would find no journal to take their copies.
   */
  @Override
  public void close() {
    if (tasks != null) {
      tasks.close();
    }
    drainLock.lock();
    try {
      closed = true;
    } finally {
      drainLock.unlock();
    }
  }

  // ------------------------------------------------------------------ the typed face

  @Override
  public long budget() {
    return budget;
  }

  @Override
  public long residentWeight() {
    return lastStats.residentWeight();
  }

  @Override
  public boolean countsEntries() {
    return countsEntries;
  }

  @Override
  public Map<String, Number> metrics() {
    Stats s = lastStats;
    Map<String, Number> m = new LinkedHashMap<>();
    m.put(countsEntries ? "budgetEntries" : "budgetBytes", budget);
    m.put(countsEntries ? "residentEntries" : "residentBytes", s.residentWeight());
    m.put("trackedEntries", s.trackedEntries());
    m.put("evictions", s.evictions());
    m.put("staleEvictions", s.staleEvictions());
    m.put("admissionRejections", s.admissionRejections());
    m.put("windowShare", s.windowShare());
    m.put("recordedReads", s.recordedReads());
    m.put("bound", horizon != null ? 1 : 0);
    ResidencyPolicy.EventHorizon h = horizon;
    m.put("durable", h != null && h.durable() ? 1 : 0);
    long beyond = 0;
    long loads = 0;
    for (int i = 0; i < shards.shardCount(); i++) {
      ShardMetrics shard = shards.metrics(i);
      beyond += shard.beyondEntries();
      loads += shard.diskLoads();
    }
    m.put("beyondEntries", beyond);
    m.put("diskLoads", loads);
    return m;
  }
}
