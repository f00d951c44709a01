package io.warpengine.spi;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;

/**
 * A tool for plugin hooks: records keys on the hot path into small ring buffers, striped by
 * thread so callers rarely contend, for one consumer to drain in batches off the hot path.
 * Lossy by design (as Caffeine's read buffer): a key offered to a full stripe is dropped, and
 * {@link #offer} says so, which only thins the consumer's sample of accesses. Allocation-free.
 *
 * <p>A buffer made with a sample period {@code p} records one offer in {@code p} per stripe (a
 * plain per-stripe count decides which; racing increments only change which offers are
 * taken): a uniform sample of the access stream for consumers that need its shape, not every
 * access.
 *
 * <p>Once an offer finds its stripe full, a flag says so and every offer, to any stripe, is
 * dropped after one load of that flag, touching nothing else, until the next {@link #drainTo}.
 * Under load a stripe fills soon after each drain, so that is the common case of an offer, and
 * the cheapest a hook can be; the consumer then sees the accesses that came just after each
 * drain, a sample in time that is unbiased as to keys.
 *
 * <p>Each stripe's write and read positions sit on cache lines of their own, so that producers
 * on different stripes, and the consumer, do not invalidate each other's lines.
 *
 * <p>Thread-safe for any number of producers; {@link #drainTo} must be called by one thread at
 * a time.
 */
public final class KeySampleBuffer {

  private static final int STRIPE_SIZE = 64;
  private static final int STRIPE_MASK = STRIPE_SIZE - 1;
  private static final int LINE = ThreadStripes.LINE_LONGS;

  private final int stripeMask;
  private final long sampleMask;
  private final AtomicReferenceArray<String> slots;
  /**
   * Per stripe: [2 * LINE * stripe] = next write position, [2 * LINE * stripe + LINE] = next
   * read position.
   */
  private final AtomicLongArray positions;
  /** Per stripe, at [LINE * stripe]: offers seen, for sampling; plain, racy by design. */
  private final long[] offers;
  /**
   * Set by an offer that found its stripe full, cleared by a drain. Volatile (a plain load on
   * x86) so that a compiled caller's loop cannot hoist it and stop sampling for good; racy by
   * design: an offer that sees it late records one key more or one fewer.
   */
  private volatile boolean full;

  /** A buffer that records every offer (that finds room). */
  public KeySampleBuffer() {
    this(1);
  }

  /**
   * A buffer that records one offer in {@code samplePeriod} per stripe.
   *
   * @param samplePeriod a power of two; 1 records every offer
   */
  public KeySampleBuffer(int samplePeriod) {
    if (samplePeriod < 1 || Integer.bitCount(samplePeriod) != 1) {
      throw new IllegalArgumentException("the sample period must be a power of two, was "
          + samplePeriod);
    }
    int stripes = ThreadStripes.count();
    this.stripeMask = stripes - 1;
    this.sampleMask = samplePeriod - 1;
    this.slots = new AtomicReferenceArray<>(stripes * STRIPE_SIZE);
    this.positions = new AtomicLongArray(stripes * 2 * LINE);
    this.offers = new long[stripes * LINE];
  }

  /**
   * Records {@code key}, or one offer in the sample period; false if it was dropped: its stripe
   * was full, or a stripe was found full since the last drain. Hot path.
   */
  public boolean offer(String key) {
    return !full && record(key);
  }

  /**
   * {@link #offer} once no stripe was found full: apart, so that {@code offer} stays small
   * enough for the JIT to inline into any hook, however cold its profile says the call is.
   */
  private boolean record(String key) {
    Objects.requireNonNull(key, "a null key cannot be offered: an empty slot means unpublished");
    int stripe = ThreadStripes.current(stripeMask);
    if (sampleMask != 0 && (offers[LINE * stripe]++ & sampleMask) != 0) {
      return true; // not this one's turn: nothing dropped
    }
    int w = 2 * LINE * stripe;
    long tail = positions.get(w);
    if (tail - positions.get(w + LINE) >= STRIPE_SIZE) {
      full = true;
      return false;
    }
    if (!positions.compareAndSet(w, tail, tail + 1)) {
      return false; // another thread on this stripe took the slot
    }
    slots.lazySet(stripe * STRIPE_SIZE + (int) (tail & STRIPE_MASK), key);
    return true;
  }

  /**
   * Hands every recorded key to {@code consumer} and lets offers in again; one draining thread
   * at a time. If the consumer throws, the exception is passed on after its key counts as
   * taken; the keys not yet handed out stay for the next drain.
   */
  public void drainTo(Consumer<String> consumer) {
    full = false; // before reading the positions: an offer that fills a stripe now sets it again
    for (int stripe = 0; stripe <= stripeMask; stripe++) {
      int r = 2 * LINE * stripe + LINE;
      long head = positions.get(r);
      long tail = positions.get(r - LINE);
      try {
        while (head < tail) {
          int slot = stripe * STRIPE_SIZE + (int) (head & STRIPE_MASK);
          String key = slots.get(slot);
          if (key == null) {
            break; // claimed but not yet published: take it next time
          }
          slots.lazySet(slot, null);
          head++;
          consumer.accept(key);
        }
      } finally { // a cleared slot behind the read position would look unpublished for good
        positions.set(r, head);
      }
    }
  }
}
