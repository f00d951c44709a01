package io.warpengine.physics.quantum.internal;

import io.warpengine.spi.ThreadStripes;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Iterator;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.LongAdder;

/**
 * Records which keys each thread reads, for the learner. Every thread gets its own ring of
 * {@value #SIZE} slots: the thread is its only producer and the learner its only consumer, so
 * recording is a thread-local lookup, an array store and a release store — no CAS, no lock, no
 * allocation after the thread's first read. A ring identifies its thread, which is what "read
 * together by the same caller" means.
 *
 * <p>Sampling, in bursts: a thread records {@code burstLength} consecutive reads out of every
 * {@code period}, so the learner sees whole stretches of a caller's reads — co-reads inside a
 * burst keep their order and distance — and every key is sampled at the same rate, whatever it
 * is. The reads are counted per stripe of threads (a thread's stripe comes from its id; a
 * stripe is a plain counter on a cache line of its own, racy by design), so a read outside a
 * burst costs an increment and a comparison, and only a read inside one looks up its thread's
 * ring. Threads that share a stripe share its bursts, which only thins each one's sample. A
 * full ring also drops a read (counted): a thinner sample, never a wrong one.
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

  private static final int LINE = ThreadStripes.LINE_LONGS;
  static final long SPARSEST_PERIOD = 1 << 20;

  private final ThreadLocal<Ring> rings;
  /** Per stripe of threads, at [LINE * stripe]: its reads, for sampling; plain, racy by design. */
  private final long[] reads;
  private final int stripeMask;
  /** The configured period, the densest sample the learner's budget may go back to. */
  private final long densestPeriod;
  /** The period now, minus one; the learner's budget changes it (see {@link LearnerBudget}). */
  private volatile long burstMask;
  private final long burstLength;
  private final ConcurrentLinkedQueue<Ring> all = new ConcurrentLinkedQueue<>();
  private final LongAdder dropped = new LongAdder();

  /**
   * @param burstLength consecutive reads recorded out of every {@code period}
   * @param period      a power of two; equal to {@code burstLength} to record every read
   */
  AccessRecorder(int window, int burstLength, int period) {
    if (Integer.bitCount(period) != 1 || burstLength < 1 || burstLength > period) {
      throw new IllegalArgumentException("sampling: a burst of " + burstLength + " reads in every "
          + period + " (period a power of two, burst from 1 to the period)");
    }
    int stripes = ThreadStripes.count();
    this.stripeMask = stripes - 1;
    this.reads = new long[stripes * LINE];
    this.densestPeriod = period;
    this.burstMask = period - 1;
    this.burstLength = burstLength;
    this.rings = ThreadLocal.withInitial(() -> {
      Ring r = new Ring(Thread.currentThread(), window);
      all.add(r);
      return r;
    });
  }

  /**
   * Records a read by the current thread, if it falls in a sampled burst. Hot path.
   *
   * @return false if the ring was full and the read was dropped
   */
  boolean record(String key) {
    int stripe = ThreadStripes.current(stripeMask);
    if ((reads[LINE * stripe]++ & burstMask) >= burstLength) {
      return true; // outside this stripe's sampled burst: not recorded, not a drop
    }
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

  /** Samples half as many reads (down to one burst in {@value #SPARSEST_PERIOD} reads). */
  void sampleLess() {
    burstMask = Math.min(SPARSEST_PERIOD, 2 * (burstMask + 1)) - 1;
  }

  /** Samples twice as many reads, up to the configured sample. */
  void sampleMore() {
    burstMask = Math.max(densestPeriod, (burstMask + 1) / 2) - 1;
  }

  /** Reads per sampled burst now. */
  long samplePeriod() {
    return burstMask + 1;
  }

  long dropped() {
    return dropped.sum();
  }
}
