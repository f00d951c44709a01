package io.warpengine.wal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warpengine.api.SyncPolicy;
import io.warpengine.WarpOptions;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Torn tails at every offset, and bit flips anywhere: recovered cleanly or refused clearly. */
class DamageTest {

  @TempDir
  Path root;

  /** Applies operation {@code i} of a fixed mixed workload. */
  private static void op(TestHost h, int i) {
    String key = "key" + (i % 17);
    switch (i % 5) {
      case 0, 1, 2 -> h.put(key, ("value " + i).repeat(1 + i % 4).getBytes(UTF_8));
      case 3 -> h.delete(key);
      default -> h.putAll(TestHost.batch(key, "b" + i, "other" + i % 7, "c" + i, "x" + i, ""));
    }
  }

  private static WarpOptions options(Path dir, String segmentBytes, boolean salvage) {
    return TestHost.options(dir, SyncPolicy.NONE, "wal.segmentBytes", segmentBytes,
        "wal.salvage", Boolean.toString(salvage));
  }

  /** Runs ops [from, to) in a fresh open; returns the state after each op. */
  private static List<TreeMap<String, String>> run(WarpOptions o, int from, int to) {
    return run(o, from, to, true);
  }

  private static List<TreeMap<String, String>> run(WarpOptions o, int from, int to,
                                                   boolean snapshots) {
    List<TreeMap<String, String>> states = new ArrayList<>();
    TestHost h = TestHost.open(o);
    h.snapshots = snapshots;
    try {
      for (int i = from; i < to; i++) {
        op(h, i);
        states.add(h.state());
      }
    } finally {
      h.journal.close();
    }
    return states;
  }

  private static TreeMap<String, String> recovered(WarpOptions o) {
    TestHost h = TestHost.open(o);
    try {
      return h.state();
    } finally {
      h.journal.close();
    }
  }

  private static Path copy(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    try (Stream<Path> files = Files.list(from)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        if (!f.getFileName().toString().equals(DataDirectory.LOCK_FILE)) {
          Files.copy(f, to.resolve(f.getFileName()));
        }
      }
    }
    return to;
  }

  /**
   * A log of 300 operations in 4 KiB segments, written without snapshots so that every segment
   * stays, in a copy for a test to damage: the copy, its segments in order, and the state after
   * each operation.
   */
  private record Unsnapshotted(Path dir, List<Path> segments,
                               List<TreeMap<String, String>> states) {}

  private Unsnapshotted unsnapshottedCopy(String name) throws IOException {
    Path original = root.resolve("original");
    List<TreeMap<String, String>> states = run(options(original, "4096", false), 0, 300, false);
    Path copy = copy(original, root.resolve(name));
    return new Unsnapshotted(copy, segments(copy), states);
  }

  /**
   * Opening the damaged {@code log} fails with a message that says {@code says} and offers
   * salvage; with salvage it opens with one of its earlier states, not the last.
   */
  private static void refusedThenSalvagedToAnEarlierState(Unsnapshotted log, String says) {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> recovered(options(log.dir(), "4096", false)));
    assertTrue(e.getMessage().contains(says) && e.getMessage().contains("wal.salvage=true"),
        e.getMessage());
    TreeMap<String, String> salvaged = recovered(options(log.dir(), "4096", true));
    assertTrue(log.states().contains(salvaged) && !salvaged.equals(log.states().getLast()),
        "an earlier state: " + salvaged);
  }

  /** The log segments in {@code dir}, in order. */
  private static List<Path> segments(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".wal")).sorted().toList();
    }
  }

  private static boolean onlyZeros(Path file, long from, long to) throws IOException {
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
      raf.seek(from);
      for (long at = from; at < to; at++) {
        if (raf.read() != 0) {
          return false;
        }
      }
      return true;
    }
  }

  private static void flip(Path file, long offset, int mask) throws IOException {
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.seek(offset);
      int b = raf.read();
      raf.seek(offset);
      raf.write(b ^ mask);
    }
  }

  /**
   * A crash leaves the space the last segment claimed ahead of its appends as zeros after the
   * last record: recovery cuts it without dropping anything (no sequence numbers skipped), but
   * a byte that is not zero after it is still damage, not claimed space.
   */
  @Test
  void zerosAfterTheLastRecordAreClaimedSpaceAndCutWithoutLoss() throws IOException {
    Path dir = root.resolve("zeros");
    WarpOptions o = options(dir, "1048576", false);
    List<TreeMap<String, String>> states = run(o, 0, 30);
    Path segment = dir.resolve("segment-00000000000000000001.wal");
    long size = Files.size(segment);
    try (RandomAccessFile raf = new RandomAccessFile(segment.toFile(), "rw")) {
      raf.setLength(size + ActiveSegment.ALLOCATION_STEP);
    }
    TestHost h = TestHost.open(o);
    long kSequence;
    try {
      assertEquals(states.getLast(), h.state());
      long last = h.journal.metrics().get("writtenSequence").longValue();
      kSequence = h.journal.appendPut("k", new byte[0]);
      assertEquals(last + 1, kSequence, "no number was skipped");
    } finally {
      h.journal.close();
    }
    long withK = Files.size(segment);
    assertTrue(withK > size && withK < size + 100, "the zeros were cut, the new record added");
    try (RandomAccessFile raf = new RandomAccessFile(segment.toFile(), "rw")) {
      raf.setLength(withK + 4096);
      raf.seek(withK + 4095);
      raf.write(1);
    }
    TestHost torn = TestHost.open(o);
    try {
      assertEquals(withK, Files.size(segment), "cut as a torn tail");
      assertTrue(torn.journal.appendPut("k2", new byte[0]) > kSequence + 1,
          "a torn tail's numbers are skipped: it may have held a record");
    } finally {
      torn.journal.close();
    }
  }

  @Test
  void aTornOrCorruptLastRecordIsTruncatedAtEveryOffset() throws IOException {
    Path original = root.resolve("original");
    WarpOptions o = options(original, "1048576", false);
    List<TreeMap<String, String>> states = run(o, 0, 39);
    Path segment = original.resolve("segment-00000000000000000001.wal");
    long before = Files.size(segment);
    run(o, 39, 40); // op 39 is a batch: the last record
    long after = Files.size(segment);
    assertTrue(after > before + 40, "the last record is a few dozen bytes");
    TreeMap<String, String> beforeLast = states.get(states.size() - 1);

    for (long cut = before; cut < after; cut++) {
      Path d = copy(original, root.resolve("cut" + cut));
      try (RandomAccessFile raf = new RandomAccessFile(d.resolve(segment.getFileName()).toFile(), "rw")) {
        raf.setLength(cut);
      }
      assertEquals(beforeLast, recovered(options(d, "1048576", false)), "cut at " + cut);
      assertEquals(before, Files.size(d.resolve(segment.getFileName())), "truncated at " + cut);
      if (onlyZeros(segment, before, cut)) {
        continue; // the record left no trace but zeros, like claimed space: its number is free
      }
      TestHost again = TestHost.open(options(d, "1048576", false));
      try {
        assertTrue(again.journal.appendPut("k", new byte[0]) > 40,
            "the torn record's sequence number (40) is not used again, cut at " + cut);
      } finally {
        again.journal.close();
      }
    }
    for (long at = before; at < after; at++) {
      Path d = copy(original, root.resolve("flip" + at));
      flip(d.resolve(segment.getFileName()), at, 0x10);
      assertEquals(beforeLast, recovered(options(d, "1048576", false)), "flip at " + at);
    }
  }

  /**
   * A write that races with a snapshot can be in the snapshot and in the log after it. Damage
   * to that log record leaves no consistent state to salvage (the snapshot holds a value the
   * log before the damage does not lead to): salvage refuses, naming file and offset.
   */
  @Test
  void salvageRefusesDamageBeforeTheNewestWriteTheSnapshotHolds() throws IOException {
    Path dir = root.resolve("racing");
    WarpOptions o = options(dir, "1048576", false);
    TestHost h = TestHost.open(o);
    try {
      for (int i = 0; i < 5; i++) {
        h.put("k" + i, ("v" + i).getBytes(UTF_8));
      }
      h.duringSnapshot = () -> h.put("racer", "r".getBytes(UTF_8));
      h.journal.snapshot();
      h.duringSnapshot = () -> { };
      h.put("after", "a".getBytes(UTF_8)); // so the damage is not a torn tail
    } finally {
      h.journal.close();
    }
    Path segment = segments(dir).getLast();
    flip(segment, RecordFormat.FILE_HEADER_BYTES + 20, 0x01); // inside the racer's record
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> recovered(options(dir, "1048576", true)));
    assertTrue(e.getMessage().contains(segment.toString()) && e.getMessage().contains("offset")
        && e.getMessage().contains("snapshot holds values"), e.getMessage());
  }

  /**
   * Losing the first segment after the snapshot (or the snapshot before the segments) leaves a
   * log that starts too late: recovery notices the gap instead of replaying the later segments
   * as if nothing were missing, and salvage keeps what comes before it, the snapshot's state.
   */
  @Test
  void aMissingFirstSegmentIsDamageNotASilentGap() throws IOException {
    Unsnapshotted log = unsnapshottedCopy("first-lost");
    assertTrue(log.segments().size() > 3, "several segments: " + log.segments());
    Files.delete(log.segments().getFirst());
    Path d = log.dir();
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> recovered(options(d, "4096", false)));
    assertTrue(e.getMessage().contains("segment 1 is missing, yet segment 2 follows it"),
        e.getMessage());
    assertEquals(new TreeMap<>(), recovered(options(d, "4096", true)),
        "no snapshot: nothing comes before the gap");
  }

  /**
   * A segment that lost its last records, cut cleanly at a record boundary, ends before the
   * next segment begins: the gap is noticed (only a segment recovery started after dropping
   * records may begin past the log's end, and its header says so), refused or salvaged.
   */
  @Test
  void aSegmentCutAtARecordBoundaryBeforeTheLastIsNoticed() throws IOException {
    Unsnapshotted log = unsnapshottedCopy("cut");
    Path second = log.segments().get(1);
    long lastRecord = -1;
    try (LogReader r = LogReader.open(second, RecordFormat.KIND_SEGMENT)) {
      for (long at = r.offset(); r.next() != null; at = r.offset()) {
        lastRecord = at;
      }
    } catch (LogReader.Invalid e) {
      throw new AssertionError(e);
    }
    assertTrue(lastRecord > RecordFormat.FILE_HEADER_BYTES, "the segment holds records");
    try (FileChannel ch = FileChannel.open(second, StandardOpenOption.WRITE)) {
      ch.truncate(lastRecord); // its last record gone, the file ends at a record boundary
    }
    refusedThenSalvagedToAnEarlierState(log,
        "records are missing at the end of the segment before it");
  }

  /** A damaged segment header is damage like any other: refused by name, or salvaged before. */
  @Test
  void aDamagedSegmentHeaderIsSalvagedLikeOtherDamage() throws IOException {
    Unsnapshotted log = unsnapshottedCopy("header");
    Path third = log.segments().get(2);
    flip(third, 1, 0x10); // inside the magic number
    refusedThenSalvagedToAnEarlierState(log, third + " is damaged at offset 0");
  }

  @Test
  void aFlippedByteAnywhereIsRecoveredRefusedOrSalvaged() throws IOException {
    Path original = root.resolve("original");
    List<TreeMap<String, String>> states = run(options(original, "4096", false), 0, 300);
    states.addAll(run(options(original, "4096", false), 300, 600, false));
    TreeMap<String, String> last = states.get(states.size() - 1);
    TreeMap<String, String> beforeLast = states.get(states.size() - 2);
    List<Path> files = new ArrayList<>();
    try (Stream<Path> s = Files.list(original)) {
      s.filter(f -> !f.getFileName().toString().equals(DataDirectory.LOCK_FILE)).forEach(files::add);
    }
    assertTrue(files.size() > 2, "a snapshot and several segments: " + files);

    SplittableRandom random = new SplittableRandom(7);
    int refused = 0;
    int salvaged = 0;
    for (int trial = 0; trial < 120; trial++) {
      Path file = files.get(random.nextInt(files.size()));
      long at = random.nextLong(Files.size(file));
      Path d = copy(original, root.resolve("t" + trial));
      Path damaged = d.resolve(file.getFileName());
      flip(damaged, at, 1 << random.nextInt(8));
      String where = file.getFileName() + " byte " + at;
      try {
        TreeMap<String, String> got = recovered(options(d, "4096", false));
        assertTrue(got.equals(last) || got.equals(beforeLast), "wrong state after a flip at " + where);
        continue;
      } catch (IllegalStateException e) {
        refused++;
        assertTrue(e.getMessage().contains(damaged.toString()) && e.getMessage().contains("offset"),
            "the error names file and offset: " + e.getMessage());
      }
      try {
        TreeMap<String, String> got = recovered(options(d, "4096", true));
        assertTrue(states.contains(got), "salvage keeps a prefix of the history, flip at " + where);
        salvaged++;
      } catch (IllegalStateException e) {
        assertTrue(e.getMessage().contains("offset"), e.getMessage());
      }
    }
    assertTrue(refused > 10 && salvaged > 5, "refused " + refused + ", salvaged " + salvaged);
  }
}
