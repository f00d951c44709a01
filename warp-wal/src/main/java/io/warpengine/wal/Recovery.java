package io.warpengine.wal;

import io.warpengine.spi.Journal.RecoveryHandler;
import io.warpengine.wal.RecordFormat.Batch;
import io.warpengine.wal.RecordFormat.Delete;
import io.warpengine.wal.RecordFormat.LogRecord;
import io.warpengine.wal.RecordFormat.Metadata;
import io.warpengine.wal.RecordFormat.Put;
import io.warpengine.wal.RecordFormat.SnapshotEnd;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * Rebuilds the state from a data directory: the newest snapshot, then every segment it does
 * not cover, checking that sequence numbers run on without a gap. First it tells the handler
 * how many entries the snapshot holds, so that the engine sizes its maps once.
 *
 * <p>Zeros from some offset to the end of the last segment are space it claimed ahead of its
 * appends (see {@link ActiveSegment}): cut without a word. A bad record in the last segment with
 * no valid record after it is a torn tail (a write the crash interrupted, never acknowledged):
 * the file is truncated there with a WARN. Anything else
 * is damage: the open fails naming file and offset, or, with salvage, keeps every record before
 * the damage and drops the rest with a WARN saying what was dropped.
 */
final class Recovery {

  private static final System.Logger LOG = System.getLogger(Recovery.class.getName());

  /**
   * The outcome.
   *
   * @param lastSequence    the highest sequence recovered, 0 for a new directory
   * @param firstSegment    the lowest segment number that may exist (the snapshot covers the rest)
   * @param lastSegment     the number of the newest remaining segment, 0 if none
   * @param lastSegmentSize its size in bytes
   * @param nextSegment     the number a new segment takes
   * @param snapshotBytes   the size of the snapshot read, 0 if none
   * @param logBytes        the bytes of segments read after the snapshot
   * @param droppedBytes    the bytes of records dropped (a torn tail, or salvage)
   * @param records         the records replayed (snapshot entries included)
   * @param metadata        the newest metadata payload of each owner
   * @param snapshot        the snapshot read, null if none (its file number is firstSegment)
   * @param snapshotCovers  the sequence that snapshot covers (its cut), -1 if none
   */
  record Recovered(long lastSequence, long firstSegment, long lastSegment, long lastSegmentSize, long nextSegment,
                   long snapshotBytes, long logBytes, long droppedBytes, long records,
                   Map<String, byte[]> metadata, Path snapshot, long snapshotCovers) {}

  private final DataDirectory dir;
  private final boolean salvage;
  private final ReplayPipeline replay;
  private final Map<String, byte[]> metadata = new LinkedHashMap<>();
  private long records;
  private long droppedBytes;
  /** The newest sequence whose value the snapshot may hold (its end record's sequence). */
  private long snapshotHoldsUpTo;

  private Recovery(DataDirectory dir, boolean salvage, ReplayPipeline replay) {
    this.dir = dir;
    this.salvage = salvage;
    this.replay = replay;
  }

  static String damage(Path file, long offset, String reason) {
    return "warp-wal: " + file + " is damaged at offset " + offset + ": " + reason;
  }

  static Recovered run(DataDirectory dir, boolean salvage, RecoveryHandler handler)
      throws IOException {
    DataDirectory.Listing files = dir.list();
    long entries = snapshotEntries(files);
    if (entries > 0) {
      handler.expect(entries); // before the pipeline's thread exists: it starts after this call
    }
    try (ReplayPipeline replay = new ReplayPipeline(handler)) {
      Recovered r = new Recovery(dir, salvage, replay).run(files);
      replay.finish(); // every put and delete is applied before the metadata
      r.metadata().forEach(handler::metadata);
      return r;
    }
  }

  /**
   * The entry count the newest snapshot's end record states, read from the file's last bytes;
   * 0 if there is no snapshot or they do not check out as an end record. Only a sizing hint
   * for the handler: the replay reads and checks the whole snapshot after it. Never more than
   * the file could hold, whatever the bytes say.
   */
  private static long snapshotEntries(DataDirectory.Listing files) throws IOException {
    Map.Entry<Long, Path> newest = files.snapshots().lastEntry();
    if (newest == null) {
      return 0;
    }
    try (FileChannel ch = FileChannel.open(newest.getValue(), StandardOpenOption.READ)) {
      long size = ch.size();
      ByteBuffer tail = ByteBuffer.allocate(RecordFormat.SNAPSHOT_END_BYTES);
      if (size < RecordFormat.FILE_HEADER_BYTES + tail.capacity()) {
        return 0;
      }
      while (tail.hasRemaining()) {
        if (ch.read(tail, size - tail.remaining()) < 0) {
          return 0; // it shrank meanwhile; the replay will say what is wrong
        }
      }
      tail.flip();
      if (RecordFormat.check(tail, new CRC32C()) != RecordFormat.Check.OK
          || !(RecordFormat.decode(tail) instanceof SnapshotEnd end)) {
        return 0;
      }
      long mostThatFit = (size - RecordFormat.FILE_HEADER_BYTES)
          / (RecordFormat.RECORD_HEADER_BYTES + RecordFormat.MIN_BODY);
      return Math.min(end.entries(), mostThatFit);
    } catch (RecordFormat.BadRecordException e) {
      return 0;
    }
  }

  private Recovered run(DataDirectory.Listing files) throws IOException {
    long covered = 0;
    long firstSegment = 1;
    long snapshotBytes = 0;
    Path snapshot = null;
    if (!files.snapshots().isEmpty()) {
      Map.Entry<Long, Path> newest = files.snapshots().lastEntry();
      try (LogReader r = LogReader.open(newest.getValue(), RecordFormat.KIND_SNAPSHOT)) {
        covered = r.header().baseSequence();
        firstSegment = r.header().segment();
        if (covered != newest.getKey()) {
          throw new IllegalStateException(damage(r.file, 0, "its header covers sequence "
              + covered + " but its name says " + newest.getKey()));
        }
        readSnapshot(r);
        snapshotBytes = r.size;
        snapshot = newest.getValue();
      }
      for (Path older : files.snapshots().headMap(newest.getKey()).values()) {
        Files.delete(older); // a crash came between writing the newer one and deleting this
      }
    }
    TreeMap<Long, Path> segments = files.segments();
    for (Path old : segments.headMap(firstSegment).values()) {
      Files.delete(old); // wholly covered by the snapshot; a crash came before it was deleted
    }
    segments = new TreeMap<>(segments.tailMap(firstSegment));

    long expected = covered + 1;
    long logBytes = 0;
    List<Long> numbers = new ArrayList<>(segments.keySet());
    if (!numbers.isEmpty() && numbers.getFirst() != firstSegment) {
      // Segments are made in order, and only those a snapshot covers are deleted: so either
      // this segment or the snapshot that covered it was lost.
      Path missing = dir.segment(firstSegment);
      failOrSalvage(missing, 0, "segment " + firstSegment + " is missing, yet segment "
          + numbers.getFirst() + " follows it" + (snapshot == null ? " and there is no snapshot"
          : ""), covered, numbers, segments);
      numbers = List.of();
    }
    for (int i = 0; i < numbers.size(); i++) {
      long number = numbers.get(i);
      Path file = segments.get(number);
      boolean last = i == numbers.size() - 1;
      if (i > 0 && number != numbers.get(i - 1) + 1) {
        Path previous = segments.get(numbers.get(i - 1));
        failOrSalvage(previous, Files.size(previous), "the next segment, "
            + (numbers.get(i - 1) + 1) + ", is missing", expected - 1,
            numbers.subList(i, numbers.size()), segments);
        break;
      }
      if (last && Files.size(file) < RecordFormat.FILE_HEADER_BYTES) {
        LOG.log(Level.WARNING, "warp-wal: deleting {0}: {1} bytes, a segment whose creation a"
            + " crash interrupted", file, Files.size(file));
        Files.delete(file);
        segments.remove(number);
        break;
      }
      Stop stop = readSegment(file, number, last, expected);
      expected = stop.expected;
      logBytes += stop.keptBytes;
      if (stop.damaged) {
        failOrSalvage(file, stop.offset, stop.reason, expected - 1,
            numbers.subList(i + 1, numbers.size()), segments);
        break;
      }
    }
    long lastSegment = segments.isEmpty() ? 0 : segments.lastKey();
    return new Recovered(expected - 1, firstSegment, lastSegment,
        lastSegment == 0 ? 0 : Files.size(segments.get(lastSegment)),
        Math.max(firstSegment, lastSegment + 1), snapshotBytes, logBytes, droppedBytes, records,
        Map.copyOf(metadata), snapshot, snapshot == null ? -1 : covered);
  }

  private void readSnapshot(LogReader r) throws IOException {
    long covered = r.header().baseSequence();
    try {
      while (true) {
        long at = r.offset();
        LogRecord rec = r.next();
        switch (rec) {
          case null -> throw new IllegalStateException(damage(r.file, r.offset(),
              "the snapshot has no end record"));
          case Put p when p.sequence() == covered -> {
            replay.put(p, Locations.of(true, r.header().segment(), at));
            records++;
          }
          case Metadata m when m.sequence() == covered -> metadata.put(m.owner(), m.payload());
          case SnapshotEnd end when end.entries() == records && r.offset() == r.size -> {
            snapshotHoldsUpTo = end.sequence();
            return;
          }
          default -> throw new IllegalStateException(damage(r.file, r.offset(),
              "unexpected record in a snapshot: " + rec));
        }
      }
    } catch (LogReader.Invalid e) {
      throw new IllegalStateException(damage(r.file, e.offset, e.getMessage()));
    }
  }

  /** Where reading a segment stopped. */
  private record Stop(long expected, long keptBytes, boolean damaged, long offset, String reason) {}

  private Stop readSegment(Path file, long number, boolean last, long expected) throws IOException {
    LogReader opened;
    try {
      opened = LogReader.open(file, RecordFormat.KIND_SEGMENT);
    } catch (LogReader.BadHeader e) {
      return new Stop(expected, 0, true, 0, e.reason); // damage like any other: salvage may drop it
    }
    try (LogReader r = opened) {
      if (r.header().segment() != number) {
        return new Stop(expected, 0, true, 0, "its header says segment " + r.header().segment());
      }
      long base = r.header().baseSequence();
      if (base >= expected && r.header().mayFollowAGap()) {
        expected = base + 1; // numbers skipped after records were dropped at an earlier open
      } else if (base != expected - 1) {
        return new Stop(expected, 0, true, 0, "its header says it follows sequence " + base
            + ", but the log before it ends at " + (expected - 1) + (base >= expected
            ? ": records are missing at the end of the segment before it" : ""));
      }
      while (true) {
        long at = r.offset();
        LogRecord rec;
        try {
          rec = r.next();
        } catch (LogReader.Invalid e) {
          if (last && r.zerosFrom(e.offset)) {
            LOG.log(Level.DEBUG, "warp-wal: {0} ends at offset {1}; cutting the {2} bytes of"
                + " space it had claimed after that", file, e.offset, r.size - e.offset);
            truncate(file, e.offset);
            return new Stop(expected, e.offset, false, 0, null);
          }
          if (last && (e.cut || !r.validRecordAfter(e.offset))) {
            LOG.log(Level.WARNING, "warp-wal: truncating the torn tail of {0} at offset {1}"
                + " ({2} bytes dropped: {3}); that write was never acknowledged",
                file, e.offset, r.size - e.offset, e.getMessage());
            truncate(file, e.offset);
            droppedBytes += r.size - e.offset;
            return new Stop(expected, e.offset, false, 0, null);
          }
          return new Stop(expected, e.offset, true, e.offset, e.getMessage());
        }
        if (rec == null) {
          return new Stop(expected, r.size, false, 0, null);
        }
        if (rec.sequence() != expected) {
          return new Stop(expected, at, true, at, "sequence " + rec.sequence()
              + " where " + expected + " was expected: records are missing or out of place");
        }
        apply(rec, file, Locations.of(false, number, at));
        expected++;
      }
    }
  }

  /** Replays one record found at {@code location}; a batch's values are read back by key. */
  private void apply(LogRecord rec, Path file, long location) {
    records++;
    switch (rec) {
      case Put p -> replay.put(p, location);
      case Delete d -> replay.delete(d);
      case Batch b -> b.entries().forEach(p -> replay.put(p, location));
      case Metadata m -> metadata.put(m.owner(), m.payload());
      case SnapshotEnd e -> throw new IllegalStateException(damage(file, Locations.offset(location),
          "a snapshot end record inside a log segment"));
    }
  }

  /**
   * Fails the open, or with salvage keeps the records up to sequence {@code keptUpTo} and drops
   * the rest. A salvage that would keep less than the snapshot's values reach is refused too:
   * the snapshot was read while writes went on, so it may hold values newer than the damage,
   * and the result would be no state the engine ever had.
   */
  private void failOrSalvage(Path file, long offset, String reason, long keptUpTo,
                             List<Long> later, TreeMap<Long, Path> segments) throws IOException {
    if (!salvage) {
      throw new IllegalStateException(damage(file, offset, reason) + ". Nothing was changed;"
          + " set the property " + WalJournalFactory.SALVAGE + "=true to open with the records"
          + " before the damage and drop the rest.");
    }
    if (keptUpTo < snapshotHoldsUpTo) {
      throw new IllegalStateException(damage(file, offset, reason) + ". Nothing was changed:"
          + " the snapshot holds values written up to sequence " + snapshotHoldsUpTo
          + ", after the last record before the damage (" + keptUpTo + "), so salvage cannot"
          + " give a state the engine ever had; restore the directory from a copy.");
    }
    long dropped = Files.exists(file) ? Files.size(file) - offset : 0;
    List<Path> droppedFiles = new ArrayList<>();
    for (long n : later) {
      Path p = segments.remove(n);
      dropped += Files.size(p);
      droppedFiles.add(p);
      Files.delete(p);
    }
    if (offset < RecordFormat.FILE_HEADER_BYTES) {
      Files.deleteIfExists(file);
      segments.values().remove(file);
    } else {
      truncate(file, offset);
    }
    droppedBytes += dropped;
    LOG.log(Level.WARNING, "warp-wal salvage: {0}. Kept every record before it; dropped {1}"
        + " bytes: {2} from offset {3} and the later segments {4}", damage(file, offset, reason),
        dropped, file, offset, droppedFiles);
    dir.sync();
  }

  private static void truncate(Path file, long size) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.truncate(size);
      ch.force(true);
    }
  }
}
