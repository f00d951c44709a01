package io.warpengine.spi;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;

/**
 * A tool for plugin hooks: records keys on the hot path into small ring buffers, striped by
 * thread so callers rarely contend, for one consumer to drain in batches off the hot path.
 * Lossy by design (as Caffeine's read buffer): a key offered to a full stripe is dropped, and
 * {@link #offer} says so, which only thins the consumer's sample of accesses. Allocation-free.
 *
 * <p>Thread-safe for any number of producers; {@link #drainTo} must be called by one thread at
 * a time.
 */
public final class KeySampleBuffer {

  private static final int STRIPE_SIZE = 64;
  private static final int STRIPE_MASK = STRIPE_SIZE - 1;

  private final int stripeMask;
  private final AtomicReferenceArray<String> slots;
  /** Per stripe: [2 * stripe] = next write position, [2 * stripe + 1] = next read position. */
  private final AtomicLongArray positions;

  public KeySampleBuffer() {
    int stripes = Integer.highestOneBit(Math.max(1, Runtime.getRuntime().availableProcessors() * 4 - 1)) << 1;
    this.stripeMask = stripes - 1;
    this.slots = new AtomicReferenceArray<>(stripes * STRIPE_SIZE);
    this.positions = new AtomicLongArray(stripes * 2);
  }

  /** Records {@code key}; false if its stripe was full and the key was dropped. Hot path. */
  public boolean offer(String key) {
    int stripe = (int) mix(Thread.currentThread().threadId()) & stripeMask;
    int w = 2 * stripe;
    long tail = positions.get(w);
    if (tail - positions.get(w + 1) >= STRIPE_SIZE || !positions.compareAndSet(w, tail, tail + 1)) {
      return false;
    }
    slots.lazySet(stripe * STRIPE_SIZE + (int) (tail & STRIPE_MASK), key);
    return true;
  }

  /** Hands every recorded key to {@code consumer}; one draining thread at a time. */
  public void drainTo(Consumer<String> consumer) {
    for (int stripe = 0; stripe <= stripeMask; stripe++) {
      int r = 2 * stripe + 1;
      long head = positions.get(r);
      long tail = positions.get(r - 1);
      for (; head < tail; head++) {
        int slot = stripe * STRIPE_SIZE + (int) (head & STRIPE_MASK);
        String key = slots.get(slot);
        if (key == null) {
          break; // claimed but not yet published: take it next time
        }
        slots.lazySet(slot, null);
        consumer.accept(key);
      }
      positions.set(r, head);
    }
  }

  private static long mix(long x) {
    x *= 0x9E3779B97F4A7C15L;
    return x ^ (x >>> 32);
  }
}
