package io.warpengine.wal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warpengine.api.SyncPolicy;
import io.warpengine.WarpOptions;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.TreeMap;
import java.util.Map;
import java.util.List;
import java.util.ArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Disk full while writing: a clear exception, nothing acknowledged lost, writes resume. */
class FaultTest {

  @TempDir
  Path dir;

  @Test
  void aFullDiskFailsThePutAndWritesResumeWhenSpaceReturns() {
    AtomicBoolean full = new AtomicBoolean();
    WarpOptions o = TestHost.options(dir, SyncPolicy.ALWAYS, "wal.segmentBytes", "4096");
    TestHost h = TestHost.open(o, (file, opts) -> new FaultyChannel(FileChannel.open(file, opts), full));
    TreeMap<String, String> acknowledged;
    String failedKey = null;
    try {
      putValues(h, 0, 100);
      full.set(true);
      // Space already claimed on disk still takes puts; the first one that needs more fails.
      UncheckedIOException first = null;
      for (int i = 0; i < 10_000 && first == null; i++) {
        try {
          h.put("while-full-" + i, "x".getBytes(UTF_8));
        } catch (UncheckedIOException e) {
          first = e;
          failedKey = "while-full-" + i;
        }
      }
      assertNotNull(first, "no put failed although the disk stayed full for a whole segment");
      assertTrue(first.getMessage().contains("No space left on device")
          && first.getMessage().contains("not acknowledged"), first.getMessage());
      UncheckedIOException refused = assertThrows(UncheckedIOException.class,
          () -> h.put("refused", "y".getBytes(UTF_8)));
      assertTrue(refused.getMessage().contains("No space left on device"), refused.getMessage());
      assertFalse(h.map.containsKey("refused"), "a refused append changes nothing");
      assertFalse(h.map.containsKey(failedKey), "a failed append changes nothing");
      assertEquals("v5v5v5v5v5v5v5v5v5v5", new String(h.map.get("k5"), UTF_8), "still readable");

      full.set(false);
      putValues(h, 100, 200);
      acknowledged = h.state();
    } finally {
      full.set(false);
      h.journal.close();
    }
    TestHost again = TestHost.open(o);
    try {
      // Every acknowledged put is there; the failed ones left nothing in the log.
      assertEquals(acknowledged, again.state());
      assertFalse(again.map.containsKey(failedKey));
      assertFalse(again.map.containsKey("refused"));
    } finally {
      again.journal.close();
    }
  }

  /**
   * A failed sync (fsync) is final: the kernel may have dropped the pages it could not write, so
   * a later sync that succeeds proves nothing about them. The puts of that round fail, and every
   * later put fails too, even once syncs work again, until a reopen; the journal stays readable
   * and closes; after the reopen every acknowledged put is there, the failed one whole or not
   * at all, and writes go on.
   */
  @Test
  void aFailedSyncStopsTheJournalTakingWritesUntilItIsReopened() {
    AtomicBoolean syncFailing = new AtomicBoolean();
    WarpOptions o = TestHost.options(dir, SyncPolicy.ALWAYS);
    TestHost h = TestHost.open(o, (file, opts) -> new FaultyChannel(FileChannel.open(file, opts),
        new AtomicBoolean(), new AtomicBoolean(), syncFailing, new AtomicInteger(-1)));
    TreeMap<String, String> acknowledged;
    try {
      putValues(h, 0, 50);
      acknowledged = h.state();
      syncFailing.set(true);
      UncheckedIOException failed = assertThrows(UncheckedIOException.class,
          () -> h.put("failed", "f".getBytes(UTF_8)));
      assertTrue(failed.getMessage().contains("not acknowledged")
          && failed.getMessage().contains("open it again"), failed.getMessage());
      assertFalse(syncFailing.get(), "one sync failed; the next would succeed");
      UncheckedIOException refused = assertThrows(UncheckedIOException.class,
          () -> h.put("refused", "r".getBytes(UTF_8)));
      assertTrue(refused.getMessage().contains("takes no more writes"), refused.getMessage());
      assertFalse(h.map.containsKey("refused"), "a refused append changes nothing");
      assertEquals("v5v5v5v5v5v5v5v5v5v5", new String(h.map.get("k5"), UTF_8), "still readable");
    } finally {
      syncFailing.set(false);
      h.journal.close();
    }
    TestHost again = reopenAndCheck(o, acknowledged);
    try {
      again.put("after", "a".getBytes(UTF_8));
      assertEquals("a", new String(again.map.get("after"), UTF_8), "writes go on after a reopen");
    } finally {
      again.journal.close();
    }
  }

  /**
   * The same with 8 writers and small segments, so that group commits, rolls and snapshots race
   * the failure: once one sync of the log has failed, no other sync of it runs (one could report
   * success for pages the failed one lost, and acknowledge them), no put that starts later is
   * acknowledged, and after a reopen every acknowledged put is there.
   */
  @Test
  void afterAFailedSyncNoOtherSyncOfTheLogRunsAmongManyWriters() throws Exception {
    AtomicBoolean syncFailing = new AtomicBoolean();
    AtomicInteger syncsAfterFailure = new AtomicInteger(-1);
    WarpOptions o = TestHost.options(dir, SyncPolicy.ALWAYS, "wal.segmentBytes", "65536");
    TestHost h = TestHost.open(o, (file, opts) -> file.toString().endsWith(".wal")
        ? new FaultyChannel(FileChannel.open(file, opts), new AtomicBoolean(), new AtomicBoolean(),
            syncFailing, syncsAfterFailure)
        : FileChannel.open(file, opts));
    Map<String, String> acknowledged = new ConcurrentHashMap<>();
    AtomicInteger acknowledgedAfterFailure = new AtomicInteger();
    AtomicBoolean failureInjected = new AtomicBoolean();
    CountDownLatch warmedUp = new CountDownLatch(2_000);
    try {
      List<Thread> writers = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int id = t;
        writers.add(Thread.ofPlatform().start(() -> {
          for (int i = 0; ; i++) {
            boolean late = failureInjected.get() && !syncFailing.get();
            String key = "t" + id + "-" + i;
            try {
              h.put(key, ("v" + i).getBytes(UTF_8));
            } catch (UncheckedIOException e) {
              return; // the failed round, or refused after it
            }
            acknowledged.put(key, "v" + i);
            if (late) {
              acknowledgedAfterFailure.incrementAndGet();
            }
            warmedUp.countDown();
          }
        }));
      }
      warmedUp.await();
      syncFailing.set(true);
      failureInjected.set(true);
      for (Thread w : writers) {
        w.join();
      }
      assertFalse(syncFailing.get(), "a sync ran and failed");
      assertEquals(0, acknowledgedAfterFailure.get(),
          "no put that began after the failed sync was acknowledged");
      assertThrows(UncheckedIOException.class, () -> h.put("later", "x".getBytes(UTF_8)));
    } finally {
      h.journal.close();
    }
    assertEquals(0, syncsAfterFailure.get(), "no sync of the log ran after the failed one,"
        + " among the writers, the rolls, the snapshots or the close");
    TestHost again = TestHost.open(o);
    try {
      TreeMap<String, String> recovered = again.state();
      acknowledged.forEach((key, value) -> assertEquals(value, recovered.get(key), key));
    } finally {
      again.journal.close();
    }
  }

  /**
   * An I/O error while a group commit writes fails the puts of that round: none is
   * acknowledged (their outcome is unknown, as after any failed sync), the journal refuses new
   * appends while the disk fails and stays readable, writes resume once it works, and after a
   * reopen every acknowledged put is there and a failed one is there whole or not at all.
   */
  @Test
  void anIoErrorInAGroupCommitFailsItsPutsAndLosesNothingAcknowledged() {
    AtomicBoolean failing = new AtomicBoolean();
    WarpOptions o = TestHost.options(dir, SyncPolicy.ALWAYS);
    TestHost h = TestHost.open(o,
        (file, opts) -> new FaultyChannel(FileChannel.open(file, opts), new AtomicBoolean(), failing));
    TreeMap<String, String> acknowledged;
    try {
      putValues(h, 0, 50);
      failing.set(true);
      UncheckedIOException failed = assertThrows(UncheckedIOException.class,
          () -> h.put("failed", "f".getBytes(UTF_8)));
      assertTrue(failed.getMessage().contains("Input/output error")
          && failed.getMessage().contains("not acknowledged"), failed.getMessage());
      assertThrows(UncheckedIOException.class, () -> h.put("refused", "r".getBytes(UTF_8)));
      assertFalse(h.map.containsKey("refused"), "a refused append changes nothing");
      assertEquals("v5v5v5v5v5v5v5v5v5v5", new String(h.map.get("k5"), UTF_8), "still readable");
      failing.set(false);
      putValues(h, 50, 100);
      acknowledged = h.state();
    } finally {
      failing.set(false);
      h.journal.close();
    }
    reopenAndCheck(o, acknowledged).journal.close();
  }

  /**
   * Reopens {@code o}'s directory and checks that every acknowledged put is there and the failed
   * one (key "failed", value "f") whole or not at all; the caller closes what it returns.
   */
  private static TestHost reopenAndCheck(WarpOptions o, TreeMap<String, String> acknowledged) {
    TestHost again = TestHost.open(o);
    try {
      TreeMap<String, String> recovered = again.state();
      String failedValue = recovered.remove("failed");
      assertTrue(failedValue == null || failedValue.equals("f"), failedValue);
      TreeMap<String, String> expected = new TreeMap<>(acknowledged);
      expected.remove("failed");
      assertEquals(expected, recovered);
      return again;
    } catch (AssertionError | RuntimeException e) {
      again.journal.close();
      throw e;
    }
  }

  /** An interrupt during I/O closes a FileChannel; the next write must reopen it, losing nothing. */
  @Test
  void anInterruptedWriterDoesNotBreakTheJournal() {
    WarpOptions o = TestHost.options(dir, SyncPolicy.ALWAYS);
    TestHost h = TestHost.open(o);
    TreeMap<String, String> expected;
    try {
      h.put("before", "1".getBytes(UTF_8));
      Thread.currentThread().interrupt();
      assertThrows(UncheckedIOException.class, () -> h.put("interrupted", "2".getBytes(UTF_8)));
      assertTrue(Thread.interrupted(), "the interrupt status stays set for the caller");
      h.put("after", "3".getBytes(UTF_8));
      expected = h.state();
    } finally {
      h.journal.close();
    }
    TestHost again = TestHost.open(o);
    try {
      assertEquals(expected, again.state());
    } finally {
      again.journal.close();
    }
  }

  /** Puts keys k{from} to k{to - 1}, each with the value "v" and its number, ten times over. */
  private static void putValues(TestHost h, int from, int to) {
    for (int i = from; i < to; i++) {
      h.put("k" + i, ("v" + i).repeat(10).getBytes(UTF_8));
    }
  }
}
