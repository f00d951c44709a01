package io.warpengine.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

/**
 * The hot-path sample buffer: with 8 producers and a draining consumer at once, every key that
 * comes out was offered, comes out once, and every offer is either drained or reported dropped.
 */
class KeySampleBufferTest {

  private static final int PRODUCERS = 8;
  private static final int OFFERS = 200_000;

  /** Runs the producers against a draining consumer; returns the drained keys and the drops. */
  private static List<String> race(KeySampleBuffer buffer, LongAdder dropped) throws Exception {
    List<String> drained = new ArrayList<>();
    AtomicBoolean producing = new AtomicBoolean(true);
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> producers = new ArrayList<>();
    for (int t = 0; t < PRODUCERS; t++) {
      int id = t;
      producers.add(Thread.ofPlatform().start(() -> {
        try {
          start.await();
        } catch (InterruptedException e) {
          throw new AssertionError(e);
        }
        for (int i = 0; i < OFFERS; i++) {
          if (!buffer.offer("t" + id + "-" + i)) {
            dropped.increment();
          }
        }
      }));
    }
    Thread consumer = Thread.ofPlatform().start(() -> {
      while (producing.get()) {
        buffer.drainTo(drained::add);
      }
    });
    start.countDown();
    for (Thread p : producers) {
      p.join();
    }
    producing.set(false);
    consumer.join();
    buffer.drainTo(drained::add);
    return drained;
  }

  @Test
  void everyOfferIsDrainedOnceOrReportedDropped() throws Exception {
    LongAdder dropped = new LongAdder();
    List<String> drained = race(new KeySampleBuffer(), dropped);
    Set<String> unique = new HashSet<>(drained);
    assertEquals(drained.size(), unique.size(), "no key comes out twice");
    assertEquals((long) PRODUCERS * OFFERS, drained.size() + dropped.sum(),
        "every offer was drained or reported dropped");
    assertTrue(unique.stream().allMatch(k -> k.matches("t[0-7]-\\d+")), "only offered keys");
  }

  @Test
  void aSampledBufferTakesOneOfferInItsPeriod() throws Exception {
    KeySampleBuffer alone = new KeySampleBuffer(16);
    List<String> taken = new ArrayList<>();
    for (int i = 0; i < 1600; i++) {
      assertTrue(alone.offer("k" + i), "one thread, drained often: nothing is dropped");
      if (i % 32 == 31) {
        alone.drainTo(taken::add);
      }
    }
    alone.drainTo(taken::add);
    assertEquals(100, taken.size(), "one offer in 16, from one thread");
    assertEquals("k0", taken.getFirst());
    assertEquals("k16", taken.get(1));

    LongAdder dropped = new LongAdder();
    List<String> drained = race(new KeySampleBuffer(16), dropped);
    assertEquals(drained.size(), new HashSet<>(drained).size(), "no key comes out twice");
    assertTrue(drained.size() > 0 && drained.size() <= (long) PRODUCERS * OFFERS / 4,
        "at most about one in 16 offers taken (threads racing on one stripe's count can take"
            + " more): " + drained.size());
  }

  @Test
  void onceAStripeIsFullEveryOfferIsDroppedUntilTheNextDrain() {
    KeySampleBuffer buffer = new KeySampleBuffer();
    List<String> taken = new ArrayList<>();
    int offered = 0;
    while (buffer.offer("k" + offered)) {
      offered++;
    }
    assertEquals(64, offered, "one thread offers into one stripe, which holds 64 keys");
    for (int i = 0; i < 100; i++) {
      assertFalse(buffer.offer("late" + i), "dropped while a stripe is full");
    }
    buffer.drainTo(taken::add);
    assertEquals(offered, taken.size(), "what was taken before the stripe filled, and no more");
    assertTrue(taken.stream().noneMatch(k -> k.startsWith("late")), "nothing offered while full");
    assertTrue(buffer.offer("again"), "a drain lets offers in again");
    buffer.drainTo(taken::add);
    assertEquals("again", taken.getLast());
  }

  @Test
  void aConsumerThatThrowsLosesOnlyItsKeyAndTheBufferKeepsWorking() {
    KeySampleBuffer buffer = new KeySampleBuffer();
    for (int i = 0; i < 10; i++) {
      assertTrue(buffer.offer("k" + i));
    }
    RuntimeException thrown = assertThrows(RuntimeException.class, () -> buffer.drainTo(k -> {
      if (k.equals("k3")) {
        throw new RuntimeException("consumer failed on " + k);
      }
    }));
    assertEquals("consumer failed on k3", thrown.getMessage());
    List<String> taken = new ArrayList<>();
    buffer.drainTo(taken::add);
    assertEquals(List.of("k4", "k5", "k6", "k7", "k8", "k9"), taken, "the rest, once");
    for (int i = 0; i < 64; i++) {
      assertTrue(buffer.offer("n" + i), "the stripe's 64 slots are all free again");
    }
    buffer.drainTo(taken::add);
    assertEquals(70, taken.size());
  }

  @Test
  void aNullKeyIsRefusedAndDoesNotBlockTheStripe() {
    KeySampleBuffer buffer = new KeySampleBuffer();
    assertThrows(NullPointerException.class, () -> buffer.offer(null));
    assertTrue(buffer.offer("after"));
    List<String> taken = new ArrayList<>();
    buffer.drainTo(taken::add);
    assertEquals(List.of("after"), taken);
  }

  @Test
  void aSamplePeriodMustBeAPowerOfTwo() {
    assertThrows(IllegalArgumentException.class, () -> new KeySampleBuffer(12));
    assertThrows(IllegalArgumentException.class, () -> new KeySampleBuffer(0));
  }
}
