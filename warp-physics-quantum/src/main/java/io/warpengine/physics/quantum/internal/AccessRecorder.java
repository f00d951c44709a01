package io.warpengine.physics.quantum.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Iterator;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.LongAdder;

/**
 * Records which keys each thread reads, for the learner. Every thread gets its own ring of
 * {@value #SIZE} slots: the thread is its only producer and the learner its only consumer, so
 * recording is a thread-local lookup, an array store and a release store — no CAS, no lock, no
 * allocation after the thread's first read. A full ring drops the read (counted): the learner
 * then sees a thinner sample of that thread's reads, never a wrong one. A ring identifies its
 * thread, which is what "read together by the same caller" means.
 */
final class AccessRecorder {

  static final int SIZE = 4096;
  private static final int MASK = SIZE - 1;
  private static final VarHandle TAIL;
  private static final VarHandle HEAD;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      TAIL = lookup.findVarHandle(Ring.class, "tail", long.class);
      HEAD = lookup.findVarHandle(Ring.class, "head", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** One thread's reads, and the learner's memory of that thread's recent keys. */
  static final class Ring {
    final Thread owner;
    final String[] slots = new String[SIZE];
    private long tail; // through TAIL
    private long head; // through HEAD
    /** The learner's window of this thread's recent keys and when it saw them. */
    final String[] recent;
    final long[] recentTicks;
    int recentNext;

    Ring(Thread owner, int window) {
      this.owner = owner;
      this.recent = new String[window];
      this.recentTicks = new long[window];
    }
  }

  private final ThreadLocal<Ring> rings;
  private final ConcurrentLinkedQueue<Ring> all = new ConcurrentLinkedQueue<>();
  private final LongAdder dropped = new LongAdder();

  AccessRecorder(int window) {
    this.rings = ThreadLocal.withInitial(() -> {
      Ring r = new Ring(Thread.currentThread(), window);
      all.add(r);
      return r;
    });
  }

  /**
   * Records a read by the current thread. Hot path.
   *
   * @return false if the ring was full and the read was dropped
   */
  boolean record(String key) {
    Ring r = rings.get();
    long t = (long) TAIL.getOpaque(r);
    if (t - (long) HEAD.getAcquire(r) >= SIZE) {
      dropped.increment();
      return false;
    }
    r.slots[(int) (t & MASK)] = key;
    TAIL.setRelease(r, t + 1);
    return true;
  }

  /** Hands every recorded read to {@code consumer}, ring by ring, in each ring's order. Single consumer. */
  void drain(Consumer consumer) {
    for (Iterator<Ring> it = all.iterator(); it.hasNext(); ) {
      Ring r = it.next();
      long h = (long) HEAD.getOpaque(r);
      long t = (long) TAIL.getAcquire(r);
      for (; h < t; h++) {
        int slot = (int) (h & MASK);
        consumer.accept(r, r.slots[slot]);
        r.slots[slot] = null;
      }
      HEAD.setRelease(r, h);
      if (!r.owner.isAlive()) {
        it.remove();
      }
    }
  }

  @FunctionalInterface
  interface Consumer {
    void accept(Ring ring, String key);
  }

  long dropped() {
    return dropped.sum();
  }
}
