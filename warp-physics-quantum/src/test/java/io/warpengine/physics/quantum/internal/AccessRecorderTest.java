package io.warpengine.physics.quantum.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class AccessRecorderTest {

  @Test
  void aBurstIsOpenUntilItsLastReadClosesIt() {
    AccessRecorder recorder = new AccessRecorder(4, 3);
    assertFalse(recorder.recording(), "no burst is open until one is started");
    recorder.startBurst();
    List<String> seen = new ArrayList<>();
    List<Boolean> begins = new ArrayList<>();
    for (String key : List.of("a", "b", "c")) {
      assertTrue(recorder.recording());
      assertEquals(key.equals("c"), recorder.record(key), key);
    }
    assertFalse(recorder.recording(), "the third read ends a burst of three");
    recorder.drain((ring, key, begin) -> {
      seen.add(key);
      begins.add(begin);
    });
    assertEquals(List.of("a", "b", "c"), seen);
    assertEquals(List.of(true, false, false), begins);
    assertEquals(3, recorder.sampled());
    assertEquals(1, recorder.bursts());

    recorder.startBurst();
    assertTrue(recorder.recording());
    recorder.record("d");
    recorder.startBurst(); // one is open: no new one
    assertEquals(2, recorder.bursts());
    seen.clear();
    begins.clear();
    recorder.drain((ring, key, begin) -> {
      seen.add(key);
      begins.add(begin);
    });
    assertEquals(List.of("d"), seen);
    assertEquals(List.of(true), begins, "d follows c in the ring, but not in the thread's reads");
  }

  @Test
  void aBurstMustFitInHalfARing() {
    assertThrows(IllegalArgumentException.class, () -> new AccessRecorder(4, 0));
    assertThrows(IllegalArgumentException.class,
        () -> new AccessRecorder(4, AccessRecorder.MAX_BURST + 1));
  }

  /**
   * Eight readers, each reading its own numbered keys and recording them while a burst is open;
   * a learner drains and opens bursts as fast as it can. The model: a thread's reads are
   * numbered, so within one burst its recorded keys must be consecutive numbers (a lost or
   * reordered record shows as a gap), each run at most a burst long, every key its own thread's
   * and never null (a torn publication), and no ring ever overflows.
   */
  @Test
  void concurrentReadersAndALearnerLoseNothingInsideABurst() throws Exception {
    int threads = 8;
    int reads = 200_000;
    int burst = 64;
    AccessRecorder recorder = new AccessRecorder(4, burst);
    recorder.startBurst();
    CountDownLatch start = new CountDownLatch(1);
    AtomicBoolean done = new AtomicBoolean();
    List<Thread> readers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int id = t;
      readers.add(Thread.ofPlatform().start(() -> {
        SplittableRandom rnd = new SplittableRandom(42 + id);
        String[] keys = new String[reads];
        for (int i = 0; i < reads; i++) {
          keys[i] = id + ":" + i;
        }
        awaitQuietly(start);
        for (int i = 0; i < reads; i++) {
          if (recorder.recording()) {
            recorder.record(keys[i]);
          }
          if (rnd.nextInt(64) == 0) {
            Thread.yield();
          }
        }
      }));
    }
    Map<AccessRecorder.Ring, RingModel> models = new HashMap<>();
    List<String> violations = new ArrayList<>();
    AccessRecorder.Consumer check = (ring, key, begins) -> {
      RingModel m = models.computeIfAbsent(ring, r -> new RingModel());
      if (key == null) {
        violations.add("a null key");
        return;
      }
      int colon = key.indexOf(':');
      int owner = Integer.parseInt(key.substring(0, colon));
      int n = Integer.parseInt(key.substring(colon + 1));
      if (m.owner >= 0 && m.owner != owner) {
        violations.add("ring of thread " + m.owner + " holds " + key);
      }
      m.owner = owner;
      if (n <= m.last) {
        violations.add(key + " after " + owner + ":" + m.last);
      } else if (!begins && m.last >= 0 && n != m.last + 1) {
        violations.add("gap inside a burst: " + owner + ":" + m.last + " then " + key);
      }
      m.run = begins ? 1 : m.run + 1;
      if (m.run > burst) {
        violations.add("a run of " + m.run + " reads in a burst of " + burst);
      }
      m.last = n;
    };
    start.countDown();
    Thread learner = Thread.ofPlatform().start(() -> {
      while (!done.get()) {
        recorder.drain(check);
        recorder.startBurst();
      }
    });
    for (Thread t : readers) {
      t.join();
    }
    done.set(true);
    learner.join();
    recorder.drain(check);

    assertTrue(violations.isEmpty(), violations.size() + " violations, first: "
        + violations.stream().limit(5).toList());
    assertEquals(threads, models.size(), "every reader recorded something");
    assertEquals(0, recorder.dropped(), "the learner opens a burst only after draining");
    assertTrue(recorder.bursts() > 100, "bursts: " + recorder.bursts());
    long sampled = recorder.sampled();
    assertTrue(sampled > 0 && sampled <= (long) threads * reads, "sampled " + sampled);
  }

  private static final class RingModel {
    int owner = -1;
    int last = -1;
    int run;
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
