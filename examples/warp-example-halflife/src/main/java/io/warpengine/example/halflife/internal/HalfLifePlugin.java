package io.warpengine.example.halflife.internal;

import io.warpengine.example.halflife.HalfLife;
import io.warpengine.spi.PhysicsPlugin;
import io.warpengine.spi.PluginConfig;
import io.warpengine.spi.PluginContext;
import io.warpengine.spi.ShardView;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Half-life: time-to-live expiry. A tracked key (its name starts with one of
 * {@code half-life.prefixes}; all keys when none is set) is deleted {@code half-life.ttl} after
 * its last write, give or take one sweep interval.
 *
 * <h2>Hot path</h2>
 * Only {@link #beforePut} does work: it moves the key's {@link Deadline} forward with one map
 * look-up and one compare-and-set, allocation-free when the key is tracked already (a new key
 * allocates its map node and deadline, as the engine allocates its own entry). Reads and
 * deletes cost nothing: a deleted key's deadline stays until the sweep finds it due and the key
 * gone, and forgets it.
 *
 * <h2>Expiry, off the hot path</h2>
 * Every {@code half-life.interval} (default 1 s) a sweep on the plugin scheduler walks the
 * deadlines (O(tracked keys) per sweep: a list, not a timer wheel). For each one due it calls
 * {@link PluginContext#deleteIf} with the condition "the deadline is still the one I found due",
 * which kills the deadline with a compare-and-set atomically with the delete. The hook runs
 * before the write's value is stored ({@code beforePut}), so a write is always ahead of its
 * value: one whose hook ran before the sweep looked has moved the deadline, and one whose hook
 * runs after it looked makes the compare-and-set fail, so its value (stored after the hook) is
 * never the one deleted. <b>An expiry never deletes a value written less than one TTL
 * earlier.</b> A write that then stores nothing (a {@code putIfAbsent} that finds a value, a
 * refused write) still moved the deadline: the key lives longer, never shorter.
 *
 * <h2>Persistence</h2>
 * Deadlines live on the heap only; the journal keeps one small record, a <em>lease</em>: a wall
 * time before which the process promises to renew it. At start (and every sweep once within two
 * intervals of its end) the plugin saves a lease of four intervals ahead through
 * {@link PluginContext#saveMetadata}; a clean close saves the close time. After a restart every
 * recovered key is written before the old lease ended (the process died before it), so it is
 * given the deadline {@code min(now, lease) + ttl}: never early, and after a long downtime the
 * keys expire soon instead of living another full TTL. If the sweep is starved for more than
 * two intervals the lease can run out while writes continue; {@code lateLeaseRenewals} counts
 * that, and a crash in such a gap may expire keys written in it early by up to the gap.
 */
final class HalfLifePlugin implements PhysicsPlugin, HalfLife {

  /** The metadata record: a format byte, then the lease's end in epoch milliseconds. */
  private static final byte LEASE_FORMAT = 1;
  private static final int LEASE_BYTES = 1 + Long.BYTES;
  private static final int LEASE_INTERVALS = 4;

  private final PluginContext context;
  private final Ticker ticker;
  private final Duration ttl;
  private final long ttlNanos;
  private final long intervalMillis;
  private final String[] prefixes;
  private final ConcurrentHashMap<String, Deadline> deadlines = new ConcurrentHashMap<>();
  /** One sweep at a time: the scheduled one or a caller's {@link #sweep()}. */
  private final ReentrantLock sweepLock = new ReentrantLock();
  private final LongAdder expired = new LongAdder();
  private final LongAdder forgotten = new LongAdder();
  private final LongAdder sweeps = new LongAdder();
  private final LongAdder sweepFailures = new LongAdder();
  private final LongAdder leaseRenewals = new LongAdder();
  private final LongAdder lateLeaseRenewals = new LongAdder();
  private volatile long recoveredKeys;
  private volatile boolean durable;
  private volatile long leaseEndMillis;
  private volatile ScheduledFuture<?> sweeper;

  HalfLifePlugin(PluginContext context, Ticker ticker) {
    this.context = context;
    this.ticker = ticker;
    PluginConfig config = context.config();
    this.ttl = config.interval("ttl", Duration.ofMinutes(10));
    this.ttlNanos = ttl.toNanos();
    this.intervalMillis = config.interval("interval", Duration.ofSeconds(1)).toMillis();
    this.prefixes = Arrays.stream(config.string("prefixes", "").split(","))
        .map(String::strip).filter(p -> !p.isEmpty()).toArray(String[]::new);
  }

  @Override
  public void start() {
    long now = ticker.wallMillis();
    long since = context.recoveredMetadata().map(HalfLifePlugin::leaseEnd)
        .map(lease -> Math.min(lease, now)).orElse(now);
    long deadline = ticker.nanos() + ttlNanos - TimeUnit.MILLISECONDS.toNanos(now - since);
    ShardView view = context.shards();
    for (int shard = 0; shard < view.shardCount(); shard++) {
      view.forEach(shard, (key, value) -> {
        if (tracked(key)) {
          deadlines.putIfAbsent(key, new Deadline(deadline));
        }
      });
    }
    recoveredKeys = deadlines.size(); // no hook has run yet: the engine is still opening
    durable = renewLease(now);
    sweeper = context.scheduler().scheduleWithFixedDelay(this::scheduledSweep, intervalMillis,
        intervalMillis, TimeUnit.MILLISECONDS);
  }

  @Override
  public void beforePut(String key) {
    if (!tracked(key)) {
      return;
    }
    long deadline = ticker.nanos() + ttlNanos;
    Deadline d = deadlines.get(key);
    if (d == null || !d.refresh(deadline)) {
      deadlines.compute(key, (k, old) -> old != null && old.refresh(deadline) ? old : new Deadline(deadline));
    }
  }

  private boolean tracked(String key) {
    if (prefixes.length == 0) {
      return true;
    }
    for (String prefix : prefixes) {
      if (key.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public Duration ttl() {
    return ttl;
  }

  @Override
  public Optional<Duration> remaining(String key) {
    Deadline d = deadlines.get(key);
    long at = d == null ? 0 : d.get();
    if (d == null || Deadline.isDead(at)) {
      return Optional.empty();
    }
    return Optional.of(Duration.ofNanos(at - ticker.nanos()));
  }

  @Override
  public int sweep() {
    sweepLock.lock();
    try {
      long now = ticker.nanos();
      int deleted = 0;
      for (Map.Entry<String, Deadline> e : deadlines.entrySet()) {
        Deadline d = e.getValue();
        long at = d.get();
        if (Deadline.isDead(at) || at - now > 0) {
          continue;
        }
        String key = e.getKey();
        if (context.deleteIf(key, () -> d.kill(at))) {
          deadlines.remove(key, d);
          deleted++;
        } else if (d.kill(at)) { // the key was gone already, and no write has come since
          deadlines.remove(key, d);
          forgotten.increment();
        }
      }
      expired.add(deleted);
      sweeps.increment();
      long wall = ticker.wallMillis();
      if (durable && wall >= leaseEndMillis - 2 * intervalMillis) {
        if (wall > leaseEndMillis) {
          lateLeaseRenewals.increment();
        }
        renewLease(wall);
      }
      return deleted;
    } finally {
      sweepLock.unlock();
    }
  }

  /** The scheduled sweep must not throw: an exception would cancel every later run. */
  private void scheduledSweep() {
    try {
      sweep();
    } catch (RuntimeException e) {
      sweepFailures.increment();
    }
  }

  /** Saves a lease of four intervals from {@code now}; false if the engine is in memory. */
  private boolean renewLease(long now) {
    return saveLease(now + LEASE_INTERVALS * intervalMillis);
  }

  private boolean saveLease(long endMillis) {
    byte[] record = ByteBuffer.allocate(LEASE_BYTES).put(LEASE_FORMAT).putLong(endMillis).array();
    if (!context.saveMetadata(record)) {
      return false;
    }
    leaseEndMillis = endMillis;
    leaseRenewals.increment();
    return true;
  }

  private static long leaseEnd(byte[] record) {
    if (record.length != LEASE_BYTES || record[0] != LEASE_FORMAT) {
      throw new IllegalStateException("the journal's half-life record is not a format-"
          + LEASE_FORMAT + " lease of " + LEASE_BYTES + " bytes (" + record.length + " bytes)");
    }
    return ByteBuffer.wrap(record, 1, Long.BYTES).getLong();
  }

  @Override
  public Map<String, Number> metrics() {
    return Map.of("tracked", deadlines.size(), "expired", expired.sum(),
        "forgotten", forgotten.sum(), "sweeps", sweeps.sum(), "sweepFailures", sweepFailures.sum(),
        "recoveredKeys", recoveredKeys, "durable", durable ? 1 : 0,
        "leaseRenewals", leaseRenewals.sum(), "lateLeaseRenewals", lateLeaseRenewals.sum());
  }

  /** Stops the sweep; a durable engine saves the close time as the lease's end. */
  @Override
  public void close() {
    if (sweeper == null) {
      return; // created, never started
    }
    sweeper.cancel(false);
    sweepLock.lock();
    try {
      if (durable) {
        saveLease(ticker.wallMillis());
      }
    } catch (RuntimeException e) {
      sweepFailures.increment(); // the journal failed: the last saved lease stands
    } finally {
      sweepLock.unlock();
    }
  }
}
