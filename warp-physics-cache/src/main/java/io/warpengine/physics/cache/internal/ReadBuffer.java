package io.warpengine.physics.cache.internal;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;

/**
 * Where the hot path records reads: a set of small ring buffers, striped by thread so readers
 * rarely contend, drained in batches by the policy's single consumer. Lossy by design (as in
 * Caffeine): a read offered to a full stripe is dropped and counted, which only thins the
 * policy's sample of accesses; it never loses data. Allocation-free.
 */
final class ReadBuffer {

  private static final int STRIPE_SIZE = 64;
  private static final int STRIPE_MASK = STRIPE_SIZE - 1;

  private final int stripeMask;
  private final AtomicReferenceArray<String> slots;
  /** Per stripe: [2 * stripe] = next write position, [2 * stripe + 1] = next read position. */
  private final AtomicLongArray positions;

  ReadBuffer() {
    int stripes = Integer.highestOneBit(Math.max(1, Runtime.getRuntime().availableProcessors() * 4 - 1)) << 1;
    this.stripeMask = stripes - 1;
    this.slots = new AtomicReferenceArray<>(stripes * STRIPE_SIZE);
    this.positions = new AtomicLongArray(stripes * 2);
  }

  /** Records a read of {@code key}; false if the stripe was full and the read was dropped. */
  boolean offer(String key) {
    int stripe = (int) mix(Thread.currentThread().threadId()) & stripeMask;
    int w = 2 * stripe;
    long tail = positions.get(w);
    if (tail - positions.get(w + 1) >= STRIPE_SIZE || !positions.compareAndSet(w, tail, tail + 1)) {
      return false;
    }
    slots.lazySet(stripe * STRIPE_SIZE + (int) (tail & STRIPE_MASK), key);
    return true;
  }

  /** Hands every recorded read to {@code consumer}; single consumer only. */
  void drainTo(Consumer<String> consumer) {
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
