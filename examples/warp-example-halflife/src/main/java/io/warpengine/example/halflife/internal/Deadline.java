package io.warpengine.example.halflife.internal;

import java.util.concurrent.atomic.AtomicLong;

/**
 * One tracked key's deadline, on the {@link Ticker#nanos()} clock. A write moves it forward
 * ({@link #refresh}); the sweep ends it ({@link #kill}) with a compare-and-set from the deadline
 * it found expired, so a refresh that came in between makes the kill fail. A dead deadline is
 * never refreshed: the writer that finds it dead puts a new one in the map.
 */
final class Deadline {

  private static final long DEAD = Long.MIN_VALUE;

  private final AtomicLong nanos;

  Deadline(long nanos) {
    this.nanos = new AtomicLong(nanos);
  }

  /** The deadline, or {@link #DEAD}; see {@link #isDead}. */
  long get() {
    return nanos.get();
  }

  static boolean isDead(long deadline) {
    return deadline == DEAD;
  }

  /** Moves the deadline to {@code deadline} unless it is later already; false if dead. */
  boolean refresh(long deadline) {
    while (true) {
      long current = nanos.get();
      if (current == DEAD) {
        return false;
      }
      if (current - deadline >= 0 || nanos.compareAndSet(current, deadline)) {
        return true;
      }
    }
  }

  /** Ends this deadline if it is still {@code expired}; false if a write refreshed it. */
  boolean kill(long expired) {
    return nanos.compareAndSet(expired, DEAD);
  }
}
