package io.warpengine.wal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warpengine.api.SyncPolicy;
import io.warpengine.WarpOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalTest {

  @TempDir
  Path dir;

  private static byte[] b(String s) {
    return s.getBytes(UTF_8);
  }

  @Test
  void everyOperationSurvivesAReopenAndSequencesContinue() {
    WarpOptions o = TestHost.options(dir, SyncPolicy.ALWAYS);
    TreeMap<String, String> expected;
    long lastSeq;
    TestHost h = TestHost.open(o);
    try {
      h.put("a", b("1"));
      h.put("b", b("2"));
      h.put("a", b("3"));
      h.delete("b");
      h.putAll(TestHost.batch("c", "4", "d", "", "é\u4e2d", "6"));
      h.journal.awaitDurable(h.journal.appendMetadata("gravity", b("wormholes")));
      h.journal.awaitDurable(h.journal.appendMetadata("gravity", b("wormholes-2")));
      expected = h.state();
      lastSeq = h.journal.appendDelete("nope");
      h.map.remove("nope");
    } finally {
      h.journal.close();
    }
    TestHost again = TestHost.open(o);
    try {
      assertEquals(expected, again.state());
      assertArrayEquals(b("wormholes-2"), again.metadata.get("gravity"));
      assertEquals(lastSeq + 1, again.journal.appendPut("x", b("y")), "sequence continues");
    } finally {
      again.journal.close();
    }
  }

  @Test
  void segmentsRollAndASnapshotDeletesTheOnesItCovers() throws Exception {
    WarpOptions o = TestHost.options(dir, SyncPolicy.NONE, "wal.segmentBytes", "4096");
    TestHost h = TestHost.open(o);
    TreeMap<String, String> expected;
    try {
      for (int i = 0; i < 500; i++) {
        h.put("k" + (i % 50), b("v" + i + "-".repeat(40)));
      }
      long made = segments().length + h.journal.metrics().get("segmentsDeleted").longValue();
      assertTrue(made > 5, "segments rolled over: " + made);
      h.journal.snapshot();
      h.put("after", b("snapshot"));
      h.delete("k1");
      expected = h.state();
      assertTrue(h.journal.metrics().get("snapshots").intValue() >= 1);
    } finally {
      h.journal.close();
    }
    assertTrue(segments().length <= 2, "covered segments deleted: " + String.join(",", segments()));
    TestHost again = TestHost.open(o);
    try {
      assertEquals(expected, again.state());
    } finally {
      again.journal.close();
    }
  }

  private String[] segments() {
    return dir.toFile().list((d, n) -> n.endsWith(".wal"));
  }

  @Test
  void aSecondOpenOfTheSameDirectoryIsRefused() {
    WarpOptions o = TestHost.options(dir, SyncPolicy.NONE);
    TestHost h = TestHost.open(o);
    try {
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> TestHost.open(o));
      assertTrue(e.getMessage().contains("in use by another open Warp engine"), e.getMessage());
    } finally {
      h.journal.close();
    }
    TestHost.open(o).journal.close(); // released on close
  }

  @Test
  void foreignAndGarbageFilesGiveClearErrors() throws Exception {
    WarpOptions o = TestHost.options(dir, SyncPolicy.NONE);
    Files.writeString(dir.resolve("notes.txt"), "hello");
    IllegalStateException foreign = assertThrows(IllegalStateException.class, () -> TestHost.open(o));
    assertTrue(foreign.getMessage().contains("notes.txt"), foreign.getMessage());
    Files.delete(dir.resolve("notes.txt"));

    Path garbage = dir.resolve("segment-00000000000000000001.wal");
    byte[] junk = new byte[48];
    new java.util.SplittableRandom(1).nextBytes(junk);
    Files.write(garbage, junk);
    IllegalStateException bad = assertThrows(IllegalStateException.class, () -> TestHost.open(o));
    assertTrue(bad.getMessage().contains(garbage.toString())
        && bad.getMessage().contains("offset 0")
        && bad.getMessage().contains("not a warp-wal file"), bad.getMessage());

    Files.write(garbage, new byte[40]);
    Files.write(dir.resolve("snapshot-00000000000000000005.snap"), new byte[] {1});
    IllegalStateException shortSnap = assertThrows(IllegalStateException.class, () -> TestHost.open(o));
    assertTrue(shortSnap.getMessage().contains("shorter than the 40-byte"), shortSnap.getMessage());
  }

  @Test
  void metadataIsKeptAcrossSnapshots() {
    WarpOptions o = TestHost.options(dir, SyncPolicy.periodic(java.time.Duration.ofMillis(5)));
    TestHost h = TestHost.open(o);
    try {
      h.journal.awaitDurable(h.journal.appendMetadata("quantum", b("links")));
      h.put("k", b("v"));
      h.journal.snapshot();
      assertThrows(IllegalArgumentException.class,
          () -> h.journal.appendMetadata("", b("x")));
    } finally {
      h.journal.close();
    }
    TestHost again = TestHost.open(o);
    try {
      assertEquals(Map.of("k", "v"), again.state());
      assertArrayEquals(b("links"), again.metadata.get("quantum"));
    } finally {
      again.journal.close();
    }
  }
}
