package io.warpengine.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.warpengine.spi.Journal.RecoveryHandler;
import io.warpengine.wal.RecordFormat.Delete;
import io.warpengine.wal.RecordFormat.Put;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** The recovery pipeline applies every record once, in log order, one call at a time. */
class ReplayPipelineTest {

  /** Records what it receives; fails the test's model check if calls overlap or change thread. */
  private static final class Recorder implements RecoveryHandler {
    final List<String> calls = new ArrayList<>();
    final int failAt;
    final CountDownLatch failed = new CountDownLatch(1);
    Thread thread;
    boolean inside;

    Recorder(int failAt) {
      this.failAt = failAt;
    }

    private void record(String call) {
      if (inside) {
        calls.add("OVERLAP");
      }
      inside = true;
      if (thread == null) {
        thread = Thread.currentThread();
      } else if (thread != Thread.currentThread()) {
        calls.add("THREAD CHANGED");
      }
      if (calls.size() == failAt) {
        inside = false;
        failed.countDown();
        throw new IllegalStateException("handler failure at " + failAt);
      }
      calls.add(call);
      inside = false;
    }

    @Override
    public void put(String key, byte[] value) {
      throw new AssertionError("recovery passes locations");
    }

    @Override
    public void put(String key, byte[] value, long location) {
      record("put " + key + "=" + value.length + "@" + location);
    }

    @Override
    public void delete(String key) {
      record("delete " + key);
    }

    @Override
    public void metadata(String owner, byte[] payload) {
      throw new AssertionError("metadata does not go through the pipeline");
    }
  }

  /** Feeds n seeded operations; returns what the handler should have seen. */
  private static List<String> feed(ReplayPipeline p, int n, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String key = "k" + random.nextInt(100);
      if (random.nextInt(4) == 0) {
        p.delete(new Delete(i, key));
        expected.add("delete " + key);
      } else {
        int length = random.nextInt(10);
        p.put(new Put(i, key, new byte[length]), i * 7L);
        expected.add("put " + key + "=" + length + "@" + i * 7L);
      }
    }
    return expected;
  }

  @Test
  void everyRecordArrivesOnceInOrderFromOneThread() {
    for (long seed = 1; seed <= 5; seed++) {
      Recorder r = new Recorder(-1);
      List<String> expected;
      try (ReplayPipeline p = new ReplayPipeline(r)) {
        expected = feed(p, 50_000 + (int) seed * 999, seed); // not a whole number of batches
        p.finish();
      }
      assertEquals(expected, r.calls, "seed " + seed);
    }
  }

  @Test
  void aFailingHandlerStopsTheReplayAndItsExceptionReachesTheCaller() {
    Recorder r = new Recorder(5_000);
    try (ReplayPipeline p = new ReplayPipeline(r)) {
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> {
        feed(p, 100_000, 3);
        p.finish();
      });
      assertEquals("handler failure at 5000", e.getMessage());
    }
    assertEquals(5_000, r.calls.size(), "nothing is applied after the failure");
  }

  @Test
  void aFailureThatFinishReportsStillLetsCloseStopTheApplier() throws Exception {
    assumeTrue(Runtime.getRuntime().availableProcessors() >= 2, "one processor: no applier");
    Recorder r = new Recorder(0);
    ReplayPipeline p = new ReplayPipeline(r);
    feed(p, 3_000, 4); // one batch handed over, whose first record fails; the rest still held
    r.failed.await();
    IllegalStateException e = assertThrows(IllegalStateException.class, p::finish);
    assertEquals("handler failure at 0", e.getMessage());
    p.close();
    assertFalse(recoveryThreadAlive(), "the applier thread is gone once close() returns");
  }

  @Test
  void closingWithoutFinishingStopsTheApplier() {
    Recorder r = new Recorder(-1);
    ReplayPipeline p = new ReplayPipeline(r);
    List<String> expected = feed(p, 20_000, 9);
    p.close();
    assertFalse(recoveryThreadAlive(), "the applier thread is gone once close() returns");
    assertEquals(expected.subList(0, r.calls.size()), r.calls, "what was applied is a prefix");
  }

  private static boolean recoveryThreadAlive() {
    return Thread.getAllStackTraces().keySet().stream()
        .anyMatch(t -> t.getName().equals("warp-wal-recovery") && t.isAlive());
  }
}
