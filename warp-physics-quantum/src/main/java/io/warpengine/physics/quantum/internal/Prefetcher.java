package io.warpengine.physics.quantum.internal;

import io.warpengine.spi.ShardView;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * Brings the strongest partners of a key that a read found beyond the event horizon inside it,
 * on a background thread, and keeps score of whether each prefetched value was read before it
 * left the heap again (prefetch precision).
 *
 * <p>The reader's thread only queues the key ({@link #loaded}, bounded: beyond {@value
 * #MAX_QUEUED} waiting keys a load is not followed up, and that is counted). {@link #drain}, on
 * the plugin's scheduler, asks the view to prefetch each partner that is beyond the horizon.
 * A prefetched key is <em>pending</em> until a read finds it inside ({@link #read}: used) or a
 * read has to load it from disk again ({@link #loaded}: it left unused); at most {@value
 * #MAX_TRACKED} are tracked at a time. Every prefetch ends up counted once: used, left unused,
 * deleted, pending, or untracked (already pending, or over the limit). {@code
 * prefetchPrecision} is used over all prefetches, so one still pending counts against it.
 */
final class Prefetcher {

  static final int MAX_QUEUED = 4096;
  static final int MAX_TRACKED = 65_536;

  private final ShardView shards;
  private final Function<String, List<String>> partners;
  private final ConcurrentLinkedQueue<String> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger queued = new AtomicInteger();
  private final ConcurrentHashMap<String, Boolean> pending = new ConcurrentHashMap<>();
  /** The size of {@code pending}, kept so that the read hook's common case is one volatile read. */
  private final AtomicInteger pendingCount = new AtomicInteger();
  private final LongAdder prefetches = new LongAdder();
  private final LongAdder used = new LongAdder();
  private final LongAdder leftUnused = new LongAdder();
  private final LongAdder deletedPending = new LongAdder();
  private final LongAdder untracked = new LongAdder();
  private final LongAdder notFollowed = new LongAdder();

  /**
   * @param partners the keys to prefetch for a key, strongest first (empty turns it off)
   */
  Prefetcher(ShardView shards, Function<String, List<String>> partners) {
    this.shards = shards;
    this.partners = partners;
  }

  /**
   * A read brought {@code key} back from disk: if it was prefetched, it left the heap unread;
   * its partners are queued for prefetching. Reader's thread, after a disk read.
   *
   * @return whether {@link #drain} has work
   */
  boolean loaded(String key) {
    settle(key, leftUnused);
    if (queued.incrementAndGet() > MAX_QUEUED) {
      queued.decrementAndGet();
      notFollowed.increment();
      return false;
    }
    queue.add(key);
    return true;
  }

  /** A read found {@code key} (inside the horizon, or it would have been {@link #loaded}). Hot path. */
  void read(String key) {
    settle(key, used);
  }

  /** {@code key} was deleted: no longer pending. */
  void deleted(String key) {
    settle(key, deletedPending);
  }

  private void settle(String key, LongAdder outcome) {
    if (pendingCount.get() > 0 && pending.remove(key) != null) {
      pendingCount.decrementAndGet();
      outcome.increment();
    }
  }

  /** Prefetches the partners of every queued key. Background thread. */
  void drain() {
    for (String key; (key = queue.poll()) != null; ) {
      queued.decrementAndGet();
      for (String partner : partners.apply(key)) {
        if (shards.prefetch(partner)) {
          prefetches.increment();
          if (pendingCount.get() < MAX_TRACKED && pending.putIfAbsent(partner, Boolean.TRUE) == null) {
            pendingCount.incrementAndGet();
          } else {
            untracked.increment(); // already pending, or too many are
          }
        }
      }
    }
  }

  /** The keys pending now (the set itself, not the counter kept beside it). */
  int pendingKeys() {
    return pending.size();
  }

  Map<String, Number> metrics() {
    Map<String, Number> m = new LinkedHashMap<>();
    long all = prefetches.sum();
    m.put("prefetches", all);
    m.put("prefetchUsed", used.sum());
    m.put("prefetchLeftUnused", leftUnused.sum());
    m.put("prefetchPending", pendingCount.get());
    m.put("prefetchDeleted", deletedPending.sum());
    m.put("prefetchUntracked", untracked.sum());
    m.put("prefetchNotFollowed", notFollowed.sum());
    m.put("prefetchPrecision", all == 0 ? 0.0 : (double) used.sum() / all);
    return m;
  }
}
