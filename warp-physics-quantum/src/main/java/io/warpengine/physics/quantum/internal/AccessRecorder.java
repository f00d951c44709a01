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
 * allocation after the thread's first read. A ring identifies its thread, which is what "read
 * together by the same caller" means.
 *
 * <p>Sampling, in bursts (none is open until the plugin starts the first, if it learns): {@link
 * #startBurst} raises a flag, and while it
 * is up every thread records its next reads, up to {@code burstLength} each; the first thread to
 * reach that many lowers the flag again and tells its caller, who wakes the learner. So the
 * learner sees whole stretches of a caller's reads — co-reads inside a burst keep their order
 * and distance — and a read outside a burst costs one load of the flag, nothing else: no
 * counter, no thread lookup (a per-read counter alone cost a tenth of a 300-ns in-memory get).
 * How often bursts open is the learner's decision ({@link LearnerBudget}), so the sample is
 * bounded by the learner's time and by a share of the engine's reads.
 *
 * <p>A thread's first read in a burst is preceded in its ring by a marker, so that the learner
 * knows the read before it is not the thread's previous one. The learner opens a burst only after
 * it has drained the rings, so a ring holds little more than what one burst wrote (plus the few
 * reads of threads that saw the flag just before it fell, or started their share late);
 * {@code burstLength} is capped at half a ring. A ring that is nonetheless full drops the read
 * (counted): a thinner sample, never a wrong one.
 */
final class AccessRecorder {

  static final int SIZE = 4096;
  static final int MAX_BURST = SIZE / 2;
  private static final int MASK = SIZE - 1;
  /** Written before a thread's first read in a burst: compared by identity, never a key. */
  @SuppressWarnings("StringOperationCanBeSimplified")
  private static final String BURST_BEGINS = new String("burst begins");
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
    /** Owner only: the burst this ring last recorded in, and where its share of it ends. */
    private int burst = -1;
    private long burstEnd;
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
  private final int burstLength;
  /** Up while a burst is open: the only thing a read outside a burst looks at. */
  private volatile boolean recording;
  /** The open (or last) burst's number; a ring that sees a new one starts its share afresh. */
  private volatile int burst;
  private final ConcurrentLinkedQueue<Ring> all = new ConcurrentLinkedQueue<>();
  private final LongAdder dropped = new LongAdder();
  private long drained; // learner only
  private long bursts; // learner only

  /** @param burstLength reads each thread records per burst, from 1 to {@value #MAX_BURST} */
  AccessRecorder(int window, int burstLength) {
    if (burstLength < 1 || burstLength > MAX_BURST) {
      throw new IllegalArgumentException("quantum.sampleBurst must be from 1 to " + MAX_BURST
          + " reads, was " + burstLength);
    }
    this.burstLength = burstLength;
    this.rings = ThreadLocal.withInitial(() -> {
      Ring r = new Ring(Thread.currentThread(), window);
      all.add(r);
      return r;
    });
  }

  /** Whether a burst is open: a read should be {@link #record}ed. Hot path. */
  boolean recording() {
    return recording;
  }

  /**
   * Records a read by the current thread in the open burst.
   *
   * @return true if this read ended the burst (the learner should drain now)
   */
  boolean record(String key) {
    Ring r = rings.get();
    long t = (long) TAIL.getOpaque(r);
    int open = burst;
    boolean begins = r.burst != open;
    if (!begins && t >= r.burstEnd) {
      return false; // this thread's share is recorded; the flag is on its way down
    }
    if (t - (long) HEAD.getAcquire(r) > SIZE - (begins ? 2 : 1)) {
      dropped.increment();
      return false;
    }
    if (begins) {
      r.burst = open;
      r.slots[(int) (t++ & MASK)] = BURST_BEGINS;
      r.burstEnd = t + burstLength;
    }
    r.slots[(int) (t & MASK)] = key;
    TAIL.setRelease(r, t + 1);
    if (t + 1 < r.burstEnd) {
      return false;
    }
    recording = false;
    return true;
  }

  /** Opens a burst, unless one is open. Call after {@link #drain}. Single consumer. */
  void startBurst() {
    if (!recording) {
      bursts++;
      burst = burst + 1;
      recording = true;
    }
  }

  /**
   * Hands every recorded read to {@code consumer}, ring by ring, in each ring's order, saying
   * which reads begin a burst (the read before it is not the thread's previous read). Single
   * consumer.
   */
  void drain(Consumer consumer) {
    for (Iterator<Ring> it = all.iterator(); it.hasNext(); ) {
      Ring r = it.next();
      long h = (long) HEAD.getOpaque(r);
      long t = (long) TAIL.getAcquire(r);
      boolean begins = false; // a marker and the key after it are published together
      for (; h < t; h++) {
        int slot = (int) (h & MASK);
        String key = r.slots[slot];
        r.slots[slot] = null;
        if (key == BURST_BEGINS) {
          begins = true;
        } else {
          consumer.accept(r, key, begins);
          begins = false;
          drained++;
        }
      }
      HEAD.setRelease(r, h);
      if (!r.owner.isAlive()) {
        it.remove();
      }
    }
  }

  @FunctionalInterface
  interface Consumer {
    void accept(Ring ring, String key, boolean burstBegins);
  }

  /** Reads handed to the learner so far. Single consumer. */
  long sampled() {
    return drained;
  }

  /** Bursts opened so far. Single consumer. */
  long bursts() {
    return bursts;
  }

  long dropped() {
    return dropped.sum();
  }
}
