package io.warpengine.wal;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.warpengine.spi.Journal;
import java.io.IOException;
import java.io.SyncFailedException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

/**
 * The journal: an append-only log of segment files, a snapshot that lets old segments go, and
 * group commit.
 *
 * <h2>Concurrency model</h2>
 * The segment being appended to is mapped into memory ({@link ActiveSegment}). An append takes
 * {@code appendLock} for the time it takes to encode one record and copy it into the mapping:
 * the copy lands in the kernel's page cache, so the record has reached the OS when the lock is
 * released, without a system call. That is all {@code PERIODIC} and {@code NONE} ask of a put.
 * The lock serialises memory copies only; it is held for I/O just once per megabyte (claiming
 * disk space ahead of the appends, so that a full disk is an exception and not a signal) and
 * once per segment (the roll: sync, truncate and close the old one, create the next).
 *
 * <p>{@code ALWAYS} does not map the segment: an append copies the record into a staging
 * buffer instead (see {@link ActiveSegment} for why), and group commit writes and syncs. A
 * writer that needs its record synced and wins the {@code leading} flag (a compare-and-set) is
 * the <em>leader</em>: under the append lock it notes the last sequence appended and writes
 * everything staged with one positional write; then, without the lock, it syncs the segment's
 * file once and unparks every thread that queued in {@code waiting} meanwhile. Those appended
 * before they queued, so the round covers them, or the next one will: one fsync for everyone
 * who appended before it began, no lock an append needs held while the disk works (syncs only
 * wait for each other: see {@link #syncSegment}), and no lock to take again on
 * waking (a woken waiter only reads {@code syncedSequence}, and one of those not covered leads
 * the next round). A roll syncs the segment it closes, so a leader whose segment was rolled
 * away finds its records synced. A waiter first yields the processor a few times, and parks
 * only if the round is still running after that: with many writers the round often ends
 * meanwhile, and a waiter that never parked needs no unpark. Waking parked threads, not the
 * fsync, bounded 64 writers on a 2-core virtual machine (one park and 1.4 context switches
 * per put); yielding 16 times first raised them from about 84,000 to 110,000 puts/s there. With
 * nobody else runnable a yield returns at once, so a lone waiter parks after microseconds.
 *
 * <p>Background threads: one syncs every interval under {@code PERIODIC}; one writes snapshots.
 * A snapshot holds the writers only for {@link Journal.Host#quiesced}, which here rolls to a
 * new segment and notes the sequence the snapshot covers; the map is then read while writes
 * go on. Recovery replays every record after that sequence over the snapshot, so a value the
 * snapshot saw "too new" is simply written again in order: the result is the log's.
 *
 * <h2>Values read back by location</h2>
 * {@link #spill} appends an ordinary put and returns its {@link Locations location}; the copy is
 * in the page cache once it returns. {@link #read} reads it with one positional read of the
 * header and one of the record, through a read channel per file opened on first use and shared
 * by all readers. A snapshot copies every value beyond the horizon into the snapshot file; once a
 * buffer of the snapshot is on disk it hands the engine the new locations of the values in it
 * ({@link Journal.Host#relocated}), and only when the snapshot is complete does it delete the
 * covered segments and the older snapshot and close their read channels. A reader that raced
 * with that finds the file gone and reads the entry again. A snapshot that fails after it
 * relocated values keeps its file readable (open, though deleted) until the next one copies
 * them again.
 *
 * <h2>Failures</h2>
 * An append whose disk space cannot be claimed (or whose new segment cannot be created) fails
 * before it takes a sequence number and leaves nothing behind; the next append tries again. A
 * failed write marks the journal failed: its waiters are not acknowledged, and every later
 * append first retries the write and throws while the disk still refuses. A failed sync
 * (fsync) is final: the kernel may have dropped the pages it could not write, and a retried
 * sync can succeed without them, so from then on every append, and every wait for a sync,
 * throws until the engine is reopened and recovery reads what is really on disk. So sequence
 * numbers stay contiguous, and a record is acknowledged only once it is where the policy says.
 * One case escapes: a sync whose thread is interrupted reports the interrupt, not an error the
 * disk gave at the same moment, and an interrupted sync is retried on a reopened channel.
 */
final class WriteAheadLog implements Journal {

  private static final System.Logger LOG = System.getLogger(WriteAheadLog.class.getName());
  private static final int RECORD_BUFFER_BYTES = 64 << 10;
  /** How many scheduling slots a waiter lets go by before it parks (see the class comment). */
  private static final int YIELDS_BEFORE_PARKING = 16;
  private static final int SNAPSHOT_BUFFER_BYTES = 1 << 20;
  /** {@link #readAll} reads records this close together with one read, */
  private static final int RUN_GAP_BYTES = 4 << 10;
  /** up to this many bytes at a time. */
  private static final int RUN_MAX_BYTES = 1 << 20;

  /** What a snapshot covers: every sequence up to {@code sequence}, every segment before {@code segment}. */
  private record Cut(long sequence, long segment, Map<String, byte[]> metadata) {}

  private final DataDirectory dir;
  private final Host host;
  private final WalSettings settings;
  private final ScheduledThreadPoolExecutor timer;
  private final ThreadPoolExecutor snapshotter;
  private final AtomicBoolean snapshotQueued = new AtomicBoolean();
  private final ReentrantLock snapshotLock = new ReentrantLock();

  /** Channels that read values back, by {@link Locations#file}; opened on first use. */
  private final ConcurrentHashMap<Long, FileChannel> readers = new ConcurrentHashMap<>();
  /** The snapshot files locations may point into, by {@link Locations#file}. */
  private final ConcurrentHashMap<Long, Path> snapshotFiles = new ConcurrentHashMap<>();

  // ---- the tail, guarded by appendLock
  private final ReentrantLock appendLock = new ReentrantLock();
  private final CRC32C crc = new CRC32C();
  private final Map<String, byte[]> metadata = new HashMap<>();
  /** Where the next record is encoded before it is copied into the segment. */
  private Buf record = new Buf(RECORD_BUFFER_BYTES);
  /** The segment appended to; null when the next append creates segment {@code tailSegment}. */
  private ActiveSegment active;
  private long tailSegment;
  private long snapshotSequence;
  /** The last sequence appended; written under appendLock, read anywhere. */
  private volatile long lastSequence;

  // ---- group commit: who leads the next sync round, and who waits for it
  private final AtomicBoolean leading = new AtomicBoolean();
  private final ConcurrentLinkedQueue<Thread> waiting = new ConcurrentLinkedQueue<>();
  /** How many sync rounds failed; written only by a leader. */
  private volatile long failedRounds;
  private volatile IOException lastFailure;

  /** The lowest segment number that may still exist; changed under snapshotLock. */
  private volatile long oldestSegment;

  /** Every record up to this sequence is synced; only grows. */
  private final AtomicLong syncedSequence = new AtomicLong();
  /** Log bytes since the last snapshot's cut; written under appendLock, read anywhere. */
  private volatile long unsnapshottedBytes;
  private volatile long lastSnapshotBytes;
  private volatile boolean failed;
  /**
   * The sync that failed, after which the journal takes and acknowledges no more writes (see
   * {@link ActiveSegment#force}); null while none has. Set under syncOrder.
   */
  private volatile SyncFailedException syncFailure;
  /**
   * Held around each sync of a segment (see {@link #syncSegment}): only other syncs wait for
   * it, never an append, but a roll's sync, which runs under appendLock, may wait for a leader's.
   */
  private final Object syncOrder = new Object();
  private volatile boolean recovered;
  private final AtomicBoolean closing = new AtomicBoolean();
  private volatile boolean closed;

  private final LongAdder appends = new LongAdder();
  private final LongAdder syncs = new LongAdder();
  private final LongAdder bytesWritten = new LongAdder();
  private final LongAdder snapshots = new LongAdder();
  private final LongAdder segmentsDeleted = new LongAdder();
  private final LongAdder spills = new LongAdder();
  private final LongAdder valueReads = new LongAdder();
  private final LongAdder relocations = new LongAdder();
  private volatile long recoveredRecords;
  private volatile long recoveryNanos;

  WriteAheadLog(DataDirectory dir, Host host, WalSettings settings) {
    this.dir = dir;
    this.host = Objects.requireNonNull(host, "host");
    this.settings = settings;
    String name = dir.path.getFileName() == null ? "" : dir.path.getFileName().toString();
    this.timer = new ScheduledThreadPoolExecutor(1, r -> daemon(r, "warp-wal-sync-" + name));
    this.snapshotter = new ScheduledThreadPoolExecutor(1, r -> daemon(r, "warp-wal-snapshot-" + name));
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  // ------------------------------------------------------------------ recovery

  @Override
  public long recover(RecoveryHandler handler) {
    Objects.requireNonNull(handler, "handler");
    if (recovered || closed) {
      throw new IllegalStateException("recover() runs once, on an open journal");
    }
    long start = System.nanoTime();
    Recovery.Recovered r;
    try {
      r = Recovery.run(dir, settings.salvage(), handler);
      oldestSegment = r.firstSegment();
      lastSequence = r.lastSequence();
      boolean dropped = r.droppedBytes() > 0;
      if (!dropped && r.lastSegment() != 0 && r.lastSegmentSize() < settings.segmentBytes()) {
        tailSegment = r.lastSegment();
        active = ActiveSegment.reopen(dir, tailSegment, r.lastSegmentSize(),
            settings.segmentBytes(), mapped());
      } else {
        tailSegment = r.nextSegment();
      }
      if (dropped) {
        // The dropped records had sequence numbers, unknown now but never to be used again:
        // skip past as many as the dropped bytes could have held, and declare the skip in the
        // header of a new segment, so that it holds even if nothing more is written.
        lastSequence += r.droppedBytes() / (RecordFormat.RECORD_HEADER_BYTES + RecordFormat.MIN_BODY)
            + 1;
        active = ActiveSegment.create(dir, tailSegment, lastSequence, settings.segmentBytes(),
            mapped(), true);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("warp-wal cannot read " + dir.path + ": " + e, e);
    }
    metadata.putAll(r.metadata());
    if (r.snapshot() != null) {
      snapshotFiles.put(Locations.file(Locations.of(true, r.firstSegment(), 0)), r.snapshot());
    }
    // The recovered snapshot is the last one: a snapshot with no record since would cut the
    // same sequence, and so take the same file name, under a file that engine entries read.
    snapshotSequence = r.snapshotCovers();
    syncedSequence.set(lastSequence);
    unsnapshottedBytes = r.logBytes();
    lastSnapshotBytes = r.snapshotBytes();
    recoveredRecords = r.records();
    recoveryNanos = System.nanoTime() - start;
    recovered = true;
    if (settings.periodicSync() != null) {
      long ms = settings.periodicSync().toMillis();
      timer.scheduleWithFixedDelay(this::backgroundSync, ms, ms, TimeUnit.MILLISECONDS);
    }
    long every = settings.snapshotInterval().toMillis();
    timer.scheduleWithFixedDelay(() -> requestSnapshot(unsnapshottedBytes > 0), every, every,
        TimeUnit.MILLISECONDS);
    LOG.log(Level.DEBUG, "warp-wal recovered {0} records up to sequence {1} from {2}",
        r.records(), lastSequence, dir.path);
    return lastSequence;
  }

  // ------------------------------------------------------------------ appending

  @Override
  public long appendPut(String key, byte[] value) {
    byte[] k = key.getBytes(UTF_8);
    return append(RecordFormat.putBody(k, value), RecordFormat.PUT, t -> {
      RecordFormat.putBytes(t, k);
      RecordFormat.putBytes(t, value);
    });
  }

  @Override
  public long appendDelete(String key) {
    byte[] k = key.getBytes(UTF_8);
    return append(RecordFormat.deleteBody(k), RecordFormat.DELETE, t -> RecordFormat.putBytes(t, k));
  }

  @Override
  public long appendBatch(Map<String, byte[]> entries) {
    List<byte[]> keys = new ArrayList<>(entries.size());
    List<byte[]> values = new ArrayList<>(entries.size());
    long body = RecordFormat.MIN_BODY + 4L;
    for (Map.Entry<String, byte[]> e : entries.entrySet()) {
      byte[] k = e.getKey().getBytes(UTF_8);
      keys.add(k);
      values.add(e.getValue());
      body += 8L + k.length + e.getValue().length;
    }
    return append(body, RecordFormat.BATCH, t -> {
      t.putInt(keys.size());
      for (int i = 0; i < keys.size(); i++) {
        RecordFormat.putBytes(t, keys.get(i));
        RecordFormat.putBytes(t, values.get(i));
      }
    });
  }

  @Override
  public long appendMetadata(String owner, byte[] payload) {
    byte[] o = Objects.requireNonNull(owner, "owner").getBytes(UTF_8);
    if (o.length < 1 || o.length > 255) {
      throw new IllegalArgumentException("metadata owner must be 1 to 255 bytes of UTF-8, was "
          + o.length);
    }
    if (payload.length > MAX_METADATA_BYTES) {
      throw new IllegalArgumentException("metadata of '" + owner + "' is " + payload.length
          + " bytes, over the limit of " + MAX_METADATA_BYTES);
    }
    byte[] copy = payload.clone();
    return append(RecordFormat.putBody(o, copy), RecordFormat.METADATA, t -> {
      RecordFormat.putBytes(t, o);
      RecordFormat.putBytes(t, copy);
    }, () -> metadata.put(owner, copy), false);
  }

  @Override
  public long spill(String key, byte[] value) {
    byte[] k = key.getBytes(UTF_8);
    long location = append(RecordFormat.putBody(k, value), RecordFormat.PUT, t -> {
      RecordFormat.putBytes(t, k);
      RecordFormat.putBytes(t, value);
    }, null, true);
    spills.increment();
    return location;
  }

  /** Appends one record whose body after the operation byte {@code body} writes. */
  private long append(long bodyLength, byte op, Consumer<Buf> body) {
    return append(bodyLength, op, body, null, false);
  }

  /**
   * Appends one record; returns its sequence, or its location if {@code location}. {@code
   * appended}, if given, runs under the append lock once the record is in the segment.
   */
  private long append(long bodyLength, byte op, Consumer<Buf> body, Runnable appended,
                      boolean location) {
    beforeAppend(bodyLength);
    long bytes = RecordFormat.RECORD_HEADER_BYTES + bodyLength;
    long result;
    appendLock.lock();
    try {
      if (closed) {
        throw new IllegalStateException("the journal of " + dir.path + " is closed");
      }
      ActiveSegment segment = segmentFor(bytes);
      long at = segment.size();
      long seq = lastSequence + 1;
      record.clear();
      int start = RecordFormat.begin(record, bodyLength, seq, op);
      body.accept(record);
      RecordFormat.end(record, start, crc);
      segment.append(record); // a full disk throws here, before anything changed
      if (record.array().length > RECORD_BUFFER_BYTES) {
        record = new Buf(RECORD_BUFFER_BYTES); // a large record's buffer goes to the GC
      }
      if (location) {
        segment.writeStaged(); // a location is read from the file (under ALWAYS, staged until now)
      }
      lastSequence = seq;
      if (appended != null) {
        appended.run();
      }
      unsnapshottedBytes += bytes;
      result = location ? Locations.of(false, segment.number, at) : seq;
    } catch (IOException e) {
      throw failure(e);
    } finally {
      appendLock.unlock();
    }
    appends.increment();
    bytesWritten.add(bytes);
    if (snapshotDue()) {
      requestSnapshot(true);
    }
    return result;
  }

  private void beforeAppend(long body) {
    if (!recovered || closed) {
      throw new IllegalStateException(closed ? "the journal of " + dir.path + " is closed"
          : "recover() must run before the first append");
    }
    if (body > RecordFormat.MAX_BODY) {
      throw new IllegalArgumentException("a record of " + body + " bytes is over the journal's"
          + " limit of " + RecordFormat.MAX_BODY + " bytes");
    }
    checkNoSyncFailed();
    if (failed) {
      flush(Long.MAX_VALUE, true); // throws while the disk still refuses
    }
  }

  /** Refuses a write, or the wait for one, once a sync has failed. */
  private void checkNoSyncFailed() {
    SyncFailedException f = syncFailure;
    if (f != null) {
      throw new UncheckedIOException("warp-wal takes no more writes in " + dir.path + ": "
          + f.getMessage() + ", so what was written before it may not be on disk, whatever a"
          + " later sync says. This write is not acknowledged. Close the engine and open it"
          + " again: recovery keeps what reached the disk.", f);
    }
  }

  /**
   * The segment a record of {@code bytes} goes into: the active one, or (rolling if it is full)
   * a new one. Under appendLock.
   */
  private ActiveSegment segmentFor(long bytes) throws IOException {
    if (active != null && active.number == tailSegment && active.hasRecords()
        && !active.fits(bytes)) {
      tailSegment++;
    }
    if (active != null && active.number != tailSegment) {
      retireActive(); // full, or a snapshot's cut moved the tail past it
    }
    if (active == null) {
      active = ActiveSegment.create(dir, tailSegment, lastSequence,
          Math.max(settings.segmentBytes(), RecordFormat.FILE_HEADER_BYTES + bytes), mapped(),
          false);
    } else if (!active.fits(bytes)) {
      active.growFor(bytes); // a record larger than a segment has one to itself
    }
    return active;
  }

  /** Whether segments are memory-mapped: unless every write is synced (see ActiveSegment). */
  private boolean mapped() {
    return !settings.syncEveryWrite();
  }

  /**
   * Ends the active segment, which holds the last record appended: synced (a finished segment
   * is always durable), truncated after its last record, closed. The next append creates
   * segment {@code tailSegment}. Under appendLock.
   */
  private void retireActive() throws IOException {
    active.retire(this::syncSegment);
    advanceSynced(lastSequence);
    active = null;
  }

  /** Retires the active segment if it is before {@code segment} (and no append did yet). */
  private void retireBefore(long segment) throws IOException {
    appendLock.lock();
    try {
      if (active != null && active.number < segment) {
        retireActive();
      }
    } finally {
      appendLock.unlock();
    }
  }

  private void advanceSynced(long sequence) {
    syncedSequence.accumulateAndGet(sequence, Math::max);
  }

  // ------------------------------------------------------------------ reading values back

  @Override
  public byte[] read(String key, long location, int length) {
    Objects.requireNonNull(key, "key");
    if (length < 0) {
      throw new IllegalArgumentException("a value length cannot be negative, was " + length);
    }
    if (!recovered || closed) {
      throw new IllegalStateException("the journal of " + dir.path + " is not open");
    }
    byte[] k = key.getBytes(UTF_8);
    long file = Locations.file(location);
    while (true) {
      FileChannel ch = reader(file);
      if (ch == null) {
        return null;
      }
      try {
        byte[] value = readValue(ch, location, k, length);
        valueReads.increment();
        return value;
      } catch (ClosedByInterruptException e) {
        readers.remove(file, ch);
        throw new UncheckedIOException("warp-wal: the read of '" + key + "' from "
            + pathOf(file) + " was interrupted", e);
      } catch (ClosedChannelException e) {
        readers.remove(file, ch); // closed by compaction (the file is gone) or by an interrupt
      } catch (IOException e) {
        throw new UncheckedIOException("warp-wal could not read " + pathOf(file) + " at offset "
            + Locations.offset(location) + ": " + e, e);
      }
    }
  }

  @Override
  public byte[][] readAll(String[] keys, long[] locations, int[] lengths) {
    if (locations.length != keys.length || lengths.length != keys.length) {
      throw new IllegalArgumentException("readAll needs as many locations and lengths as keys");
    }
    if (!recovered || closed) {
      throw new IllegalStateException("the journal of " + dir.path + " is not open");
    }
    long[] sizes = new long[keys.length];
    for (int i = 0; i < keys.length; i++) {
      if (lengths[i] < 0) {
        throw new IllegalArgumentException("a value length cannot be negative, was " + lengths[i]);
      }
      sizes[i] = RecordFormat.RECORD_HEADER_BYTES
          + RecordFormat.putBody(keys[i].getBytes(UTF_8).length, lengths[i]);
    }
    Integer[] order = new Integer[keys.length];
    Arrays.setAll(order, i -> i);
    Arrays.sort(order, Comparator.comparingLong(i -> locations[i]));
    byte[][] values = new byte[keys.length][];
    for (int from = 0; from < order.length; ) {
      // A run: records of one file, each starting close enough after the one before that a
      // single read of the whole span costs less than a read each.
      long file = Locations.file(locations[order[from]]);
      long start = Locations.offset(locations[order[from]]);
      long end = start + sizes[order[from]];
      int to = from + 1;
      while (to < order.length && Locations.file(locations[order[to]]) == file
          && Locations.offset(locations[order[to]]) <= end + RUN_GAP_BYTES
          && Locations.offset(locations[order[to]]) + sizes[order[to]] - start <= RUN_MAX_BYTES) {
        end = Math.max(end, Locations.offset(locations[order[to]]) + sizes[order[to]]);
        to++;
      }
      ByteBuffer span = readSpan(file, start, end);
      for (int r = from; r < to; r++) {
        int i = order[r];
        byte[] value = span == null ? null : plainPut(span,
            (int) (Locations.offset(locations[i]) - start), (int) sizes[i], keys[i], lengths[i]);
        if (value != null) {
          valueReads.increment();
        }
        values[i] = value != null ? value : read(keys[i], locations[i], lengths[i]);
      }
      from = to;
    }
    return values;
  }

  /** The bytes from {@code start} to {@code end} of a file with one read; null if that fails. */
  private ByteBuffer readSpan(long file, long start, long end) {
    FileChannel ch = reader(file);
    if (ch == null) {
      return null;
    }
    ByteBuffer span = ByteBuffer.allocate((int) (end - start));
    try {
      while (span.hasRemaining()) {
        if (ch.read(span, start + span.position()) < 0) {
          return null;
        }
      }
    } catch (IOException e) {
      return null; // closed by compaction, or unreadable: read() one by one retries and reports
    }
    return span.flip();
  }

  /**
   * The value in the span at {@code at}, if a checksum-valid put record of {@code key} with a
   * value of {@code length} bytes starts there; else null (read() then reads it alone, and
   * handles batch records and damage).
   */
  private static byte[] plainPut(ByteBuffer span, int at, int size, String key, int length) {
    if (at + size > span.limit()) {
      return null;
    }
    ByteBuffer record = span.slice(at, size);
    if (record.getInt(0) != size - RecordFormat.RECORD_HEADER_BYTES
        || RecordFormat.check(record, new CRC32C()) != RecordFormat.Check.OK) {
      return null;
    }
    try {
      return RecordFormat.decode(record) instanceof RecordFormat.Put p && p.key().equals(key)
          && p.value().length == length ? p.value() : null;
    } catch (RecordFormat.BadRecordException e) {
      return null;
    }
  }

  /** The file a location's file part names, or null if it is gone. */
  private Path pathOf(long file) {
    long number = file & Locations.MAX_NUMBER;
    if (file != number) {
      return snapshotFiles.get(file);
    }
    return number < oldestSegment ? null : dir.segment(number);
  }

  /** The shared read channel of a file, opened if needed; null if the file is gone. */
  private FileChannel reader(long file) {
    FileChannel ch = readers.get(file);
    if (ch != null) {
      return ch;
    }
    Path path = pathOf(file);
    if (path == null) {
      return null;
    }
    try {
      FileChannel opened = FileChannel.open(path, StandardOpenOption.READ);
      FileChannel raced = readers.putIfAbsent(file, opened);
      if (raced != null) {
        opened.close();
        return raced;
      }
      if (pathOf(file) == null) { // compaction deleted it meanwhile; do not keep it open
        readers.remove(file, opened);
        opened.close();
        return null;
      }
      return opened;
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw new UncheckedIOException("warp-wal cannot open " + path + " to read a value: " + e, e);
    }
  }

  /** Reads and checks the record at {@code location}; the value of key {@code k} in it. */
  private byte[] readValue(FileChannel ch, long location, byte[] k, int length) throws IOException {
    long offset = Locations.offset(location);
    long file = Locations.file(location);
    ByteBuffer header = ByteBuffer.allocate(RecordFormat.RECORD_HEADER_BYTES);
    readFully(ch, header, offset, file);
    int len = header.getInt(0);
    if (header.getInt(4) != ~len || len < RecordFormat.MIN_BODY + 8 + k.length + length
        || len > RecordFormat.MAX_BODY
        || len > ch.size() - offset - RecordFormat.RECORD_HEADER_BYTES) { // before allocating
      throw damaged(file, offset, "no record of a value of " + length + " bytes starts there");
    }
    ByteBuffer record = ByteBuffer.allocate(RecordFormat.RECORD_HEADER_BYTES + len);
    record.put(header.flip());
    readFully(ch, record, offset + RecordFormat.RECORD_HEADER_BYTES, file);
    record.flip();
    if (RecordFormat.check(record, new CRC32C()) != RecordFormat.Check.OK) {
      throw damaged(file, offset, "the record's checksum does not match");
    }
    String key = new String(k, UTF_8);
    byte[] value;
    try {
      value = switch (RecordFormat.decode(record)) {
        case RecordFormat.Put p when p.key().equals(key) -> p.value();
        case RecordFormat.Batch b -> b.entries().stream().filter(p -> p.key().equals(key))
            .map(RecordFormat.Put::value).reduce((first, last) -> last).orElse(null);
        default -> null;
      };
    } catch (RecordFormat.BadRecordException e) {
      throw damaged(file, offset, e.getMessage());
    }
    if (value == null || value.length != length) {
      throw damaged(file, offset, "the record there holds no value of " + length
          + " bytes for key '" + key + "'");
    }
    return value;
  }

  private void readFully(FileChannel ch, ByteBuffer b, long at, long file) throws IOException {
    long pos = at;
    while (b.hasRemaining()) {
      int n = ch.read(b, pos);
      if (n < 0) {
        throw damaged(file, at, "the file ends inside the record");
      }
      pos += n;
    }
  }

  private IllegalStateException damaged(long file, long offset, String reason) {
    return new IllegalStateException(Recovery.damage(pathOf(file), offset, reason));
  }

  // ------------------------------------------------------------------ syncing

  @Override
  public void awaitDurable(long sequence) {
    flush(sequence, settings.syncEveryWrite());
  }

  /**
   * Makes every record up to {@code sequence} reach the OS (every appended record already has)
   * and, if {@code sync}, the disk; {@code Long.MAX_VALUE} means everything appended so far.
   * The first thread to need a sync leads a round (see the class comment); the others park
   * until a round ends.
   */
  private void flush(long sequence, boolean sync) {
    long target = sequence == Long.MAX_VALUE ? lastSequence : sequence;
    if (target > lastSequence) {
      throw new IllegalArgumentException("sequence " + target + " was never appended");
    }
    if (!sync || syncedSequence.get() >= target) {
      return;
    }
    long failedBefore = failedRounds;
    checkNoSyncFailed(); // after reading failedBefore: a round failing now is seen either way
    boolean interrupted = false;
    try {
      while (syncedSequence.get() < target) {
        if (failedRounds != failedBefore) {
          throw failure(lastFailure); // the round this write waited for failed
        }
        if (leading.compareAndSet(false, true)) {
          leadRound();
        } else if (roundRunsAfterYielding(target)) {
          waiting.add(Thread.currentThread());
          // Re-checked after queueing: a leader that finished before we queued woke nobody.
          if (leading.get() && syncedSequence.get() < target && failedRounds == failedBefore) {
            LockSupport.park(this);
            interrupted |= Thread.interrupted(); // else park would return at once from now on
          }
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Gives up the processor up to {@link #YIELDS_BEFORE_PARKING} times while a round runs that
   * has not yet synced {@code target}; whether one still does (the caller then parks). See the
   * class comment for why a waiter yields before it parks.
   */
  private boolean roundRunsAfterYielding(long target) {
    for (int i = 0; i < YIELDS_BEFORE_PARKING; i++) {
      if (syncedSequence.get() >= target || !leading.get()) {
        return false;
      }
      Thread.yield();
    }
    return syncedSequence.get() < target && leading.get();
  }

  /** Leads one sync round, then lets the next leader in and wakes every waiter. */
  private void leadRound() {
    IOException error = null;
    try {
      lead();
    } catch (IOException e) {
      error = e;
    } finally {
      if (error != null) {
        lastFailure = error;
        failedRounds++; // only the leader writes it
      }
      failed = error != null;
      leading.set(false);
      // Everyone queued by now, not those who queue meanwhile: a woken waiter that is not
      // covered queues again, and draining those too would chase them round and round.
      for (int queued = waiting.size(); queued > 0; queued--) {
        Thread t = waiting.poll();
        if (t == null) {
          break;
        }
        LockSupport.unpark(t);
      }
    }
    if (error != null) {
      throw failure(error);
    }
  }

  private UncheckedIOException failure(IOException e) {
    if (e instanceof SyncFailedException) {
      return new UncheckedIOException("warp-wal: " + e.getMessage() + ": this write is not"
          + " acknowledged (it may or may not be on disk). The journal takes no more writes;"
          + " close the engine and open it again to recover what reached the disk", e);
    }
    return new UncheckedIOException("warp-wal could not write to " + dir.segment(tailSegment)
        + " (" + e.getMessage() + "), perhaps the disk is full: this write is not acknowledged."
        + " The engine stays readable; writes resume once the disk accepts data again", e);
  }

  /** One round of the leader: syncs every record appended so far. */
  private void lead() throws IOException {
    // Writers woken by the last round are usually runnable but not yet appended: letting them
    // run before the sync puts them into this round instead of the next (like a commit delay of
    // one scheduling slot; free when nobody else is runnable).
    Thread.yield();
    ActiveSegment segment;
    long target;
    appendLock.lock();
    try {
      segment = active;
      target = lastSequence;
      if (segment != null) {
        segment.writeStaged();
      }
    } finally {
      appendLock.unlock();
    }
    if (segment != null && syncedSequence.get() < target) {
      try {
        syncSegment(segment, false);
      } catch (ClosedChannelException e) {
        appendLock.lock(); // a roll that closed it holds the lock until it has noted the sync
        try {
          if (syncedSequence.get() < target) {
            throw e; // an interrupt closed it: this round did not sync
          }
        } finally {
          appendLock.unlock();
        }
      }
      syncs.increment();
    } // no active segment: the roll that retired the last one synced everything appended
    advanceSynced(target);
  }

  /**
   * Syncs {@code segment}, one sync at a time, and none after one failed. Two syncs of one file
   * at once could split a write error between them: Linux reports it to one, and the other
   * returns success for pages that never reached the disk. And a sync that starts after one
   * failed could succeed for the same reason, so it is refused: the first failure stops the log
   * (see "Failures" in the class comment).
   */
  private void syncSegment(ActiveSegment segment, boolean metaData) throws IOException {
    synchronized (syncOrder) {
      SyncFailedException earlier = syncFailure;
      if (earlier != null) {
        SyncFailedException refused = new SyncFailedException("an earlier " + earlier.getMessage());
        refused.initCause(earlier);
        throw refused;
      }
      try {
        segment.force(metaData);
      } catch (SyncFailedException e) {
        syncFailure = e;
        throw e;
      }
    }
  }

  /** Whether the log since the last snapshot outgrew half of it, or one segment. */
  private boolean snapshotDue() {
    return unsnapshottedBytes > Math.max(settings.segmentBytes(), lastSnapshotBytes / 2);
  }

  private void backgroundSync() {
    if (syncFailure != null) {
      return; // the log has stopped (logged when it failed); nothing more is synced
    }
    try {
      flush(Long.MAX_VALUE, true);
    } catch (UncheckedIOException e) {
      LOG.log(Level.WARNING, syncFailure != null ? "warp-wal periodic sync failed; the log takes"
          + " no more writes until the engine is opened again" : "warp-wal periodic sync failed;"
          + " retrying at the next interval", e);
    }
  }

  // ------------------------------------------------------------------ snapshots

  /**
   * Queues a background snapshot if one is {@code due} and none is queued. Never throws: it runs
   * after an append has logged its record, which must then be applied and acknowledged.
   */
  private void requestSnapshot(boolean due) {
    if (due && !closing.get() && snapshotQueued.compareAndSet(false, true)) {
      try {
        snapshotter.execute(() -> {
          try {
            if (!closed) {
              snapshot();
            }
          } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "warp-wal background snapshot failed; the log keeps"
                + " everything and the next snapshot will try again", e);
          } finally {
            snapshotQueued.set(false);
          }
        });
      } catch (RejectedExecutionException e) {
        snapshotQueued.set(false); // close() began after the check above: it snapshots itself
      }
    }
  }

  @Override
  public void snapshot() {
    snapshotLock.lock();
    try {
      if (!recovered || closed) {
        throw new IllegalStateException("no snapshot: the journal is not open");
      }
      Cut cut = host.quiesced(() -> {
        appendLock.lock();
        try {
          if (active != null && active.hasRecords()) {
            tailSegment++; // the next record goes after the cut; the next append retires this
          }
          unsnapshottedBytes = 0;
          return new Cut(lastSequence, tailSegment, new LinkedHashMap<>(metadata));
        } finally {
          appendLock.unlock();
        }
      });
      if (cut.sequence() == snapshotSequence) {
        return; // nothing was written since the last one
      }
      retireBefore(cut.segment());
      long bytes = writeSnapshot(cut);
      deleteCovered(cut);
      closeRetiredReaders(Locations.file(Locations.of(true, cut.segment(), 0)));
      snapshotSequence = cut.sequence();
      lastSnapshotBytes = bytes;
      snapshots.increment();
    } catch (IOException e) {
      throw new UncheckedIOException("warp-wal could not write a snapshot in " + dir.path + ": "
          + e, e);
    } finally {
      snapshotLock.unlock();
    }
  }

  /**
   * Writes the snapshot atomically: temporary file, fsync, rename, directory fsync. The file is
   * readable by location from the start, so that values beyond the horizon can be relocated
   * into it as it grows.
   */
  private long writeSnapshot(Cut cut) throws IOException {
    Path target = dir.snapshot(cut.sequence());
    Path tmp = DataDirectory.temporary(target);
    long file = Locations.file(Locations.of(true, cut.segment(), 0));
    FileChannel ch = dir.opener.open(tmp, StandardOpenOption.CREATE,
        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE, StandardOpenOption.READ);
    snapshotFiles.put(file, tmp);
    readers.put(file, ch);
    SnapshotWriter writer = new SnapshotWriter(ch, cut);
    try {
      writer.write();
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      snapshotFiles.put(file, target);
      dir.sync();
      return Files.size(target);
    } catch (IOException | RuntimeException e) {
      if (writer.relocated == 0) {
        snapshotFiles.remove(file);
        readers.remove(file, ch);
        ch.close();
        Files.deleteIfExists(tmp);
      } // else engine entries point into it: it stays readable until the next snapshot
      throw e;
    }
  }

  /** A relocation the engine is told of once the copy is in the file. */
  private record Relocation(String key, long from, long to) {}

  /** Writes the records of one snapshot through a 1 MiB buffer. */
  private final class SnapshotWriter implements EntryVisitor {
    private final FileChannel ch;
    private final Cut cut;
    private final Buf buf = new Buf(SNAPSHOT_BUFFER_BYTES + (1 << 16));
    private final CRC32C snapCrc = new CRC32C();
    private final List<Relocation> pending = new ArrayList<>();
    private long drained;
    private long entries;
    long relocated;

    SnapshotWriter(FileChannel ch, Cut cut) {
      this.ch = ch;
      this.cut = cut;
    }

    void write() throws IOException {
      RecordFormat.writeFileHeader(buf, RecordFormat.KIND_SNAPSHOT, cut.sequence(), cut.segment());
      for (Map.Entry<String, byte[]> m : cut.metadata().entrySet()) {
        byte[] o = m.getKey().getBytes(UTF_8);
        int start = RecordFormat.begin(buf, RecordFormat.putBody(o, m.getValue()), cut.sequence(),
            RecordFormat.METADATA);
        RecordFormat.putBytes(buf, o);
        RecordFormat.putBytes(buf, m.getValue());
        RecordFormat.end(buf, start, snapCrc);
      }
      try {
        host.forEachEntry(this);
        // The map was read while writes went on: the end record's sequence says how new a
        // value in the snapshot can be, so that a salvage never mixes in values from after the
        // damage (see Recovery).
        int start = RecordFormat.begin(buf, RecordFormat.MIN_BODY + 8L, lastSequence,
            RecordFormat.SNAPSHOT_END);
        buf.putLong(entries);
        RecordFormat.end(buf, start, snapCrc);
        drain();
      } catch (UncheckedIOException e) {
        throw e.getCause();
      }
      ch.force(true);
    }

    @Override
    public void inside(String key, byte[] value) {
      put(key, value);
    }

    @Override
    public void beyond(String key, long location, int length) {
      byte[] value = read(key, location, length);
      if (value == null) { // only a snapshot deletes files, and snapshots take turns
        throw new IllegalStateException("warp-wal: the value of '" + key + "' at offset "
            + Locations.offset(location) + " of a file that no longer exists was never relocated");
      }
      long at = put(key, value);
      pending.add(new Relocation(key, location, Locations.of(true, cut.segment(), at)));
    }

    /** Adds a put record; returns its offset in the file. */
    private long put(String key, byte[] value) {
      long at = drained + buf.size();
      RecordFormat.encodePut(buf, cut.sequence(), key.getBytes(UTF_8), value, snapCrc);
      entries++;
      if (buf.size() >= SNAPSHOT_BUFFER_BYTES) {
        drain();
      }
      return at;
    }

    /** Writes the buffer out; the relocations into it take effect now that it is readable. */
    private void drain() {
      drained += buf.size();
      drainTo(ch, buf);
      for (Relocation r : pending) {
        host.relocated(r.key(), r.from(), r.to());
      }
      relocated += pending.size();
      relocations.add(pending.size());
      pending.clear();
    }
  }

  private static void drainTo(FileChannel ch, Buf buf) {
    try {
      ByteBuffer b = buf.view();
      while (b.hasRemaining()) {
        ch.write(b);
      }
      buf.clear();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Deletes the older snapshots and the segments the new one covers. */
  private void deleteCovered(Cut cut) throws IOException {
    for (Path snap : dir.list().snapshots().headMap(cut.sequence()).values()) {
      Files.delete(snap);
    }
    long oldest = oldestSegment;
    oldestSegment = Math.max(oldestSegment, cut.segment());
    for (long n = oldest; n < cut.segment(); n++) {
      if (Files.deleteIfExists(dir.segment(n))) {
        segmentsDeleted.increment();
      }
    }
    dir.sync();
  }

  /**
   * Forgets every snapshot file but {@code current} (deleting what is left of failed ones) and
   * closes the read channels of files that are gone.
   */
  private void closeRetiredReaders(long current) throws IOException {
    for (Map.Entry<Long, Path> f : snapshotFiles.entrySet()) {
      if (f.getKey() != current && snapshotFiles.remove(f.getKey(), f.getValue())) {
        Files.deleteIfExists(f.getValue());
      }
    }
    for (Map.Entry<Long, FileChannel> r : readers.entrySet()) {
      if (pathOf(r.getKey()) == null && readers.remove(r.getKey(), r.getValue())) {
        r.getValue().close();
      }
    }
  }

  // ------------------------------------------------------------------ the rest

  @Override
  public Map<String, Number> metrics() {
    Map<String, Number> m = new LinkedHashMap<>();
    m.put("appends", appends.sum());
    m.put("syncs", syncs.sum());
    m.put("bytesWritten", bytesWritten.sum());
    m.put("writtenSequence", lastSequence);
    m.put("syncedSequence", syncedSequence.get());
    m.put("snapshots", snapshots.sum());
    m.put("lastSnapshotBytes", lastSnapshotBytes);
    m.put("segmentsDeleted", segmentsDeleted.sum());
    m.put("spills", spills.sum());
    m.put("valueReads", valueReads.sum());
    m.put("relocations", relocations.sum());
    m.put("recoveredRecords", recoveredRecords);
    m.put("recoveryMillis", TimeUnit.NANOSECONDS.toMillis(recoveryNanos));
    return m;
  }

  private void closeReaders() {
    for (FileChannel r : readers.values()) {
      try {
        r.close();
      } catch (IOException e) {
        LOG.log(Level.WARNING, "warp-wal could not close a read channel", e);
      }
    }
    readers.clear();
  }

  /** Retires the active segment at close; if that fails, leaves it for recovery to repair. */
  private void closeActive() {
    appendLock.lock();
    try {
      if (active != null) {
        try {
          active.retire(this::syncSegment);
        } catch (IOException e) {
          LOG.log(Level.WARNING, "warp-wal could not close " + dir.segment(tailSegment)
              + " cleanly; the next open repairs it", e);
          try {
            active.abandon();
          } catch (IOException again) {
            LOG.log(Level.WARNING, "warp-wal could not close " + dir.segment(tailSegment), again);
          }
        }
        active = null;
      }
    } finally {
      appendLock.unlock();
    }
  }

  @Override
  public void close() {
    if (!closing.compareAndSet(false, true)) {
      return; // closed, or being closed by another thread
    }
    timer.shutdown(); // no shutdownNow: an interrupt would close the channel mid-sync
    snapshotter.shutdown();
    try {
      timer.awaitTermination(1, TimeUnit.MINUTES);
      while (!snapshotter.awaitTermination(10, TimeUnit.SECONDS)) {
        LOG.log(Level.INFO, "warp-wal close waits for a snapshot in {0} to finish", dir.path);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (recovered && snapshotDue()) {
      try {
        snapshot(); // so that the directory is compact after the last run, not just near it
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "warp-wal final snapshot failed; the log keeps everything", e);
      }
    }
    closed = true;
    try {
      if (recovered && syncFailure == null) {
        flush(Long.MAX_VALUE, true);
      }
    } finally {
      try {
        closeActive();
      } finally {
        closeReaders();
        dir.close();
      }
    }
  }
}
