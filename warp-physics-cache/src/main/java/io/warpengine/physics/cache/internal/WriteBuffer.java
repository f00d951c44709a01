package io.warpengine.physics.cache.internal;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The writes the policy has yet to see: a bounded ring of (key, event) pairs, many producers
 * (the engine's hooks) and one consumer at a time (the drain). Allocation-free. Unlike the read
 * buffer it is not lossy: {@link #offer} refuses only when the ring is full, and the producer
 * then drains it itself before offering again (as Caffeine's write buffer does), so a write is
 * never dropped and the ring bounds how far the policy can fall behind.
 *
 * <p>A producer claims a position with a CAS on the tail, stores the event in a plain array and
 * then publishes the key with a release store; the consumer reads the key with an acquire load,
 * so it sees the event, and stops at the first claimed but unpublished slot. The consumer
 * clears a slot before it moves the head past it, and producers claim only positions behind
 * the head plus the capacity, so a slot is never reused while the consumer may still read it.
 */
final class WriteBuffer {

  /** Receives one drained write. */
  @FunctionalInterface
  interface Consumer {
    void accept(String key, long event);
  }

  private final int mask;
  private final AtomicReferenceArray<String> keys;
  private final long[] events;
  private final AtomicLong tail = new AtomicLong();
  private volatile long head;

  /** @param capacity a power of two */
  WriteBuffer(int capacity) {
    if (capacity < 1 || Integer.bitCount(capacity) != 1) {
      throw new IllegalArgumentException("cache.writeBuffer must be a power of two, was " + capacity);
    }
    this.mask = capacity - 1;
    this.keys = new AtomicReferenceArray<>(capacity);
    this.events = new long[capacity];
  }

  /** Appends a write; false if the ring is full (drain it, then offer again). Hot path. */
  boolean offer(String key, long event) {
    while (true) {
      long t = tail.get();
      if (t - head > mask) {
        return false;
      }
      if (tail.compareAndSet(t, t + 1)) {
        int slot = (int) t & mask;
        events[slot] = event;
        keys.setRelease(slot, key);
        return true;
      }
    }
  }

  /** The capacity in events. */
  int capacity() {
    return mask + 1;
  }

  /** How many writes wait to be drained, claimed ones included; a moment's estimate. */
  int size() {
    return (int) (tail.get() - head);
  }

  /** Hands every published write to {@code consumer}, in order; one draining thread at a time. */
  void drainTo(Consumer consumer) {
    long h = head;
    try {
      while (true) {
        int slot = (int) h & mask;
        String key = keys.getAcquire(slot);
        if (key == null) {
          return; // empty, or claimed but not yet published: take it next time
        }
        long event = events[slot];
        keys.setPlain(slot, null);
        h++;
        consumer.accept(key, event);
      }
    } finally {
      head = h; // also past a write whose consumer threw, whose slot is cleared
    }
  }
}
