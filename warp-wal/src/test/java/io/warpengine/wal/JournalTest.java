package io.warpengine.wal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warpengine.api.SyncPolicy;
import io.warpengine.WarpOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
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

  /**
   * A snapshot asked for after a reopen, before any write, has nothing new to cover: it must not
   * write the recovered snapshot again under the same name while reads may be using that file.
   */
  @Test
  void aSnapshotWithNothingNewSinceTheRecoveredOneWritesNothing() throws Exception {
    WarpOptions o = TestHost.options(dir, SyncPolicy.NONE);
    Path snapshot = snapshotOfKeys(o, 100);
    Object before = Files.readAttributes(snapshot, BasicFileAttributes.class).fileKey();
    TestHost again = TestHost.open(o);
    try {
      again.journal.snapshot();
      assertEquals(0, again.journal.metrics().get("snapshots").intValue());
      assertEquals(before, Files.readAttributes(snapshot, BasicFileAttributes.class).fileKey(),
          "the same file, not a rewritten one");
      again.put("new", b("value"));
      again.journal.snapshot();
      assertEquals(1, again.journal.metrics().get("snapshots").intValue(), "a write: one more");
    } finally {
      again.journal.close();
    }
  }

  /**
   * Before replaying, recovery tells the engine how many entries the newest snapshot holds (so
   * that it can size its maps once). An end record whose count is forged with a valid checksum
   * gives a hint no larger than the file could hold, and the replay refuses the file; a damaged
   * end record gives no hint.
   */
  @Test
  void recoveryHintsTheSnapshotsEntryCountBoundedByItsSize() throws Exception {
    WarpOptions o = TestHost.options(dir, SyncPolicy.NONE);
    TestHost fresh = TestHost.open(o);
    try {
      assertEquals(-1, fresh.expectedEntries, "a new directory: no snapshot, no hint");
    } finally {
      fresh.journal.close();
    }
    Path snapshot = snapshotOfKeys(o, 300);
    TestHost again = TestHost.open(o);
    try {
      assertEquals(300, again.expectedEntries);
      assertEquals(300, again.map.size());
    } finally {
      again.journal.close();
    }

    byte[] bytes = Files.readAllBytes(snapshot);
    ByteBuffer end = ByteBuffer.wrap(bytes, bytes.length - RecordFormat.SNAPSHOT_END_BYTES,
        RecordFormat.SNAPSHOT_END_BYTES).slice();
    end.putLong(RecordFormat.RECORD_HEADER_BYTES + RecordFormat.MIN_BODY, Long.MAX_VALUE / 2);
    CRC32C crc = new CRC32C();
    crc.update(end.slice(RecordFormat.RECORD_HEADER_BYTES,
        RecordFormat.SNAPSHOT_END_BYTES - RecordFormat.RECORD_HEADER_BYTES));
    end.putInt(8, (int) crc.getValue());
    Files.write(snapshot, bytes);
    long mostThatFit = (bytes.length - RecordFormat.FILE_HEADER_BYTES)
        / (RecordFormat.RECORD_HEADER_BYTES + RecordFormat.MIN_BODY);
    assertEquals(mostThatFit, hintAndRefusal(o, "unexpected record in a snapshot"));

    bytes[bytes.length - 1] ^= 1; // the checksum no longer matches
    Files.write(snapshot, bytes);
    assertEquals(-1, hintAndRefusal(o, "is damaged at offset"));
  }

  /** Puts k0 to k{n-1} into {@code o}'s directory, snapshots and closes; the snapshot file. */
  private Path snapshotOfKeys(WarpOptions o, int n) throws IOException {
    TestHost h = TestHost.open(o);
    try {
      for (int i = 0; i < n; i++) {
        h.put("k" + i, b("v" + i));
      }
      h.journal.snapshot();
    } finally {
      h.journal.close();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.toString().endsWith(".snap")).findFirst().orElseThrow();
    }
  }

  /** Opens {@code o}'s directory, whose recovery must fail saying {@code why}; returns the hint. */
  private static long hintAndRefusal(WarpOptions o, String why) {
    TestHost h = new TestHost();
    h.journal = WalJournalFactory.open(o, h, java.nio.channels.FileChannel::open);
    try {
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> h.journal.recover(h.restorer()));
      assertTrue(e.getMessage().contains(why), e.getMessage());
    } finally {
      h.journal.close();
    }
    return h.expectedEntries;
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
  void aFileInPlaceOfTheDirectoryIsRefusedAndLeftAsItWas() throws Exception {
    Path file = Files.writeString(dir.resolve("data"), "not Warp's");
    UncheckedIOException e = assertThrows(UncheckedIOException.class,
        () -> TestHost.open(TestHost.options(file, SyncPolicy.NONE)));
    assertEquals("cannot use data directory " + file + ": it is a file, not a directory; name a"
        + " directory, or a path that does not exist", e.getMessage());
    assertEquals("not Warp's", Files.readString(file));
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
