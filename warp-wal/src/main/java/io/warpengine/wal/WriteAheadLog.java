package io.warpengine.wal;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.warpengine.spi.Journal;
import java.io.IOException;
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
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

/**
 * The journal: an append-only log of segment files, a snapshot that lets old segments go, and
 * group commit.
 *
 * <h2>Concurrency model</h2>
 * Two locks, neither held during I/O:
 * <ul>
 *   <li>{@code appendLock} guards the in-memory tail: the sequence counter, the buffer the next
 *       record is encoded into, and the list of sealed buffers of earlier segments. An append
 *       takes it for the time it takes to copy one record (key and value are converted to bytes
 *       before), so it serialises only memory copies, never the disk.</li>
 *   <li>{@code flushLock} elects one <em>leader</em> at a time (the {@code leading} flag). The
 *       leader releases the lock, takes every buffer appended so far (a pointer swap under
 *       {@code appendLock}), writes them with one positional write per segment and, if asked,
 *       forces the file once; then it wakes every waiter at once ({@code progress.signalAll}).
 *       Threads that need durability meanwhile wait on {@code progress}; they appended before
 *       waiting, so the next round covers all of them. That is group commit: one write and one
 *       fsync for everyone who appended before the round began, no lock held while the disk
 *       works, and a waiter whose record is already covered ({@code writtenSequence},
 *       {@code syncedSequence}: volatile, checked first) never takes a lock at all.</li>
 * </ul>
 * The file state (channel, queued buffers) is touched only by the current leader; leadership
 * passes through {@code flushLock}, which orders one leader's writes before the next one's.
 *
 * <p>Background threads: one syncs every interval under {@code PERIODIC}; one writes snapshots.
 * A snapshot holds the writers only for {@link Journal.Host#quiesced}, which here rolls to a
 * new segment and notes the sequence the snapshot covers; the map is then read while writes
 * go on. Recovery replays every record after that sequence over the snapshot, so a value the
 * snapshot saw "too new" is simply written again in order: the result is the log's.
 *
 * <h2>Values read back by location</h2>
 * {@link #spill} appends an ordinary put and returns its {@link Locations location}, and asks
 * the sync thread for a write round so that the copy leaves the heap soon. {@link #read} first
 * makes sure the record was written, then reads it with one positional read of the header and
 * one of the record, through a read channel per file opened on first use and shared by all
 * readers. A snapshot copies every value beyond the horizon into the snapshot file; once a
 * buffer of the snapshot is on disk it hands the engine the new locations of the values in it
 * ({@link Journal.Host#relocated}), and only when the snapshot is complete does it delete the
 * covered segments and the older snapshot and close their read channels. A reader that raced
 * with that finds the file gone and reads the entry again. A snapshot that fails after it
 * relocated values keeps its file readable (open, though deleted) until the next one copies
 * them again.
 *
 * <h2>Failures</h2>
 * A failed write or sync leaves its buffers queued (positional writes make a retry overwrite a
 * partial write) and marks the journal failed; every later append first retries, and throws
 * before taking a sequence number while the disk still refuses. So sequence numbers stay
 * contiguous, and a record is acknowledged only once it is where the policy says.
 */
final class WriteAheadLog implements Journal {

  private static final System.Logger LOG = System.getLogger(WriteAheadLog.class.getName());
  private static final int TAIL_BYTES = 64 << 10;
  private static final int SNAPSHOT_BUFFER_BYTES = 1 << 20;

  /** Encoded records of one segment, from {@code first} to {@code last} sequence. */
  private record Chunk(long segment, long first, long last, Buf buf) {}

  /** What a snapshot covers: every sequence up to {@code sequence}, every segment before {@code segment}. */
  private record Cut(long sequence, long segment, Map<String, byte[]> metadata) {}

  private final DataDirectory dir;
  private final Host host;
  private final WalSettings settings;
  private final ScheduledThreadPoolExecutor timer;
  private final ThreadPoolExecutor snapshotter;
  private final AtomicBoolean snapshotQueued = new AtomicBoolean();
  private final ReentrantLock snapshotLock = new ReentrantLock();
  private final AtomicBoolean writeQueued = new AtomicBoolean();

  /** Channels that read values back, by {@link Locations#file}; opened on first use. */
  private final ConcurrentHashMap<Long, FileChannel> readers = new ConcurrentHashMap<>();
  /** The snapshot files locations may point into, by {@link Locations#file}. */
  private final ConcurrentHashMap<Long, Path> snapshotFiles = new ConcurrentHashMap<>();

  // ---- the tail, guarded by appendLock
  private final ReentrantLock appendLock = new ReentrantLock();
  private final CRC32C crc = new CRC32C();
  private final ArrayDeque<Chunk> sealed = new ArrayDeque<>();
  private final Map<String, byte[]> metadata = new HashMap<>();
  private Buf tail = new Buf(TAIL_BYTES);
  private Buf spare;
  private long tailFirst;
  private long lastSequence;
  private long tailSegment;
  private long tailSegmentBytes;
  private long bytesSinceCut;
  private long snapshotSequence;

  // ---- who leads the next write round, guarded by flushLock
  private final ReentrantLock flushLock = new ReentrantLock();
  private final Condition progress = flushLock.newCondition();
  private boolean leading;
  private long failures;
  private IOException lastFailure;

  // ---- the files, touched only by the current leader (handed over through flushLock)
  private final ArrayDeque<Chunk> unwritten = new ArrayDeque<>();
  private FileChannel channel;
  private long channelSegment;
  private long channelSize;

  /** The lowest segment number that may still exist; changed under snapshotLock. */
  private volatile long oldestSegment;
  /** The location just after the last record written to a segment. */
  private volatile long writtenLocation;

  private volatile long writtenSequence;
  private volatile long syncedSequence;
  private volatile long unsnapshottedBytes;
  private volatile long lastSnapshotBytes;
  private volatile boolean failed;
  private volatile boolean recovered;
  private volatile boolean closing;
  private volatile boolean closed;

  private final LongAdder appends = new LongAdder();
  private final LongAdder writes = new LongAdder();
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
        channel = dir.opener.open(dir.segment(r.lastSegment()), StandardOpenOption.WRITE);
        channelSegment = r.lastSegment();
        channelSize = r.lastSegmentSize();
        tailSegment = r.lastSegment();
        tailSegmentBytes = r.lastSegmentSize();
      } else {
        tailSegment = r.nextSegment();
        tailSegmentBytes = RecordFormat.FILE_HEADER_BYTES;
      }
      if (dropped) {
        // The dropped records had sequence numbers, unknown now but never to be used again:
        // skip past as many as the dropped bytes could have held, and declare the skip in the
        // header of a new segment, so that it holds even if nothing more is written.
        lastSequence += r.droppedBytes() / (RecordFormat.RECORD_HEADER_BYTES + RecordFormat.MIN_BODY)
            + 1;
        openSegment(new Chunk(tailSegment, lastSequence + 1, lastSequence, new Buf(0)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("warp-wal cannot read " + dir.path + ": " + e, e);
    }
    metadata.putAll(r.metadata());
    if (r.snapshot() != null) {
      snapshotFiles.put(Locations.file(Locations.of(true, r.firstSegment(), 0)), r.snapshot());
    }
    snapshotSequence = -1;
    if (tailSegment <= Locations.MAX_NUMBER) { // every recovered record is before this
      writtenLocation = Locations.of(false, tailSegment, tailSegmentBytes);
    }
    writtenSequence = lastSequence;
    syncedSequence = lastSequence;
    bytesSinceCut = r.logBytes();
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
      metadata.put(owner, copy);
    });
  }

  @Override
  public long spill(String key, byte[] value) {
    byte[] k = key.getBytes(UTF_8);
    long location = append(RecordFormat.putBody(k, value), RecordFormat.PUT, t -> {
      RecordFormat.putBytes(t, k);
      RecordFormat.putBytes(t, value);
    }, true);
    spills.increment();
    requestWrite();
    return location;
  }

  /** Appends one record whose body after the operation byte {@code body} writes. */
  private long append(long bodyLength, byte op, Consumer<Buf> body) {
    return append(bodyLength, op, body, false);
  }

  /** Appends one record; returns its sequence, or its location if {@code location}. */
  private long append(long bodyLength, byte op, Consumer<Buf> body, boolean location) {
    beforeAppend(bodyLength);
    appendLock.lock();
    try {
      long seq = reserve(bodyLength);
      long at = location ? Locations.of(false, tailSegment,
          tailSegmentBytes - RecordFormat.RECORD_HEADER_BYTES - bodyLength) : 0;
      int start = RecordFormat.begin(tail, bodyLength, seq, op);
      body.accept(tail);
      RecordFormat.end(tail, start, crc);
      return location ? at : seq;
    } finally {
      appendLock.unlock();
    }
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
    if (failed) {
      flush(Long.MAX_VALUE, settings.syncEveryWrite()); // throws while the disk still refuses
    }
  }

  /** Takes the next sequence number for a record with this body. Under appendLock. */
  private long reserve(long body) {
    long bytes = RecordFormat.RECORD_HEADER_BYTES + body;
    if (tailSegmentBytes > RecordFormat.FILE_HEADER_BYTES
        && tailSegmentBytes + bytes > settings.segmentBytes()) {
      roll();
    }
    tail.ensure((int) bytes);
    if (tail.size() == 0) {
      tailFirst = lastSequence + 1;
    }
    tailSegmentBytes += bytes;
    bytesSinceCut += bytes;
    appends.increment();
    return ++lastSequence;
  }

  /** Seals the tail; the next record starts a new segment. Under appendLock. */
  private void roll() {
    sealTail();
    tailSegment++;
    tailSegmentBytes = RecordFormat.FILE_HEADER_BYTES;
  }

  private void sealTail() {
    if (tail.size() > 0) {
      sealed.add(new Chunk(tailSegment, tailFirst, lastSequence, tail));
      tail = spare != null ? spare : new Buf(TAIL_BYTES);
      spare = null;
    }
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
    if (!Locations.isSnapshot(location) && location >= writtenLocation) {
      flush(Long.MAX_VALUE, false); // a spill still in the tail
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
    if (header.getInt(4) != ~len || len < RecordFormat.MIN_BODY + 8 + k.length + length) {
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

  // ------------------------------------------------------------------ writing and syncing

  @Override
  public void awaitDurable(long sequence) {
    flush(sequence, settings.syncEveryWrite());
  }

  private long reached(boolean sync) {
    return sync ? syncedSequence : writtenSequence;
  }

  /**
   * Makes every record up to {@code sequence} written (and synced if {@code sync}); {@code
   * Long.MAX_VALUE} means everything appended so far. The first thread to need it becomes the
   * leader and does the I/O without holding {@code flushLock}; the others wait on
   * {@code progress}, and all of them are woken at once when a round ends.
   */
  private void flush(long sequence, boolean sync) {
    if (reached(sync) >= sequence) {
      return;
    }
    long target = sequence;
    if (sequence == Long.MAX_VALUE) {
      appendLock.lock();
      try {
        target = lastSequence;
      } finally {
        appendLock.unlock();
      }
    }
    flushLock.lock();
    try {
      long failuresBefore = failures;
      while (reached(sync) < target) {
        if (failures != failuresBefore) {
          throw failure(lastFailure); // the round this write waited for failed
        }
        if (leading) {
          progress.awaitUninterruptibly();
          continue;
        }
        leading = true;
        flushLock.unlock();
        IOException error = null;
        try {
          lead(sync);
        } catch (IOException e) {
          error = e;
        } finally {
          flushLock.lock();
          leading = false;
          progress.signalAll();
        }
        failed = error != null;
        if (error != null) {
          failures++;
          lastFailure = error;
          throw failure(error);
        }
        if (reached(sync) < target) {
          throw new IllegalArgumentException("sequence " + target + " was never appended");
        }
      }
    } finally {
      flushLock.unlock();
    }
    requestSnapshot(snapshotDue());
  }

  private UncheckedIOException failure(IOException e) {
    return new UncheckedIOException("warp-wal could not write to " + dir.segment(channelSegment)
        + " (" + e.getMessage() + "), perhaps the disk is full: this write is not acknowledged."
        + " The engine stays readable; writes resume once the disk accepts data again", e);
  }

  /** One round of the leader: takes every appended buffer, writes it, syncs if asked. */
  private void lead(boolean sync) throws IOException {
    if (channel != null && !channel.isOpen()) {
      if (closed) {
        throw new ClosedChannelException(); // a write that raced with close: not acknowledged
      }
      // An earlier leader was interrupted during I/O, which closes a FileChannel: reopen it and
      // redo what that round did not finish (its records are still queued, or written unsynced).
      channel = dir.opener.open(dir.segment(channelSegment), StandardOpenOption.WRITE);
    }
    if (sync) {
      // Writers woken by the last round are usually runnable but not yet appended: letting them
      // run before the drain puts them into this fsync instead of the next (like a commit delay
      // of one scheduling slot; free when nobody else is runnable).
      Thread.yield();
    }
    appendLock.lock();
    try {
      sealTail();
      unwritten.addAll(sealed);
      sealed.clear();
      unsnapshottedBytes = bytesSinceCut;
    } finally {
      appendLock.unlock();
    }
    while (!unwritten.isEmpty()) {
      write(unwritten.peekFirst());
      Chunk done = unwritten.removeFirst();
      done.buf().clear();
      if (done.buf().array().length <= TAIL_BYTES) { // a buffer a burst grew goes to the GC
        appendLock.lock();
        try {
          spare = done.buf();
        } finally {
          appendLock.unlock();
        }
      }
    }
    if (sync && syncedSequence < writtenSequence) {
      long written = writtenSequence;
      channel.force(false);
      syncs.increment();
      syncedSequence = written;
    }
  }

  /** Whether the log since the last snapshot outgrew half of it, or one segment. */
  private boolean snapshotDue() {
    return unsnapshottedBytes > Math.max(settings.segmentBytes(), lastSnapshotBytes / 2);
  }

  /** Writes one chunk at the end of its segment, creating the segment first. Leader only. */
  private void write(Chunk c) throws IOException {
    if (channel == null || channelSegment != c.segment()) {
      openSegment(c);
    }
    ByteBuffer b = c.buf().view();
    long pos = channelSize;
    while (b.hasRemaining()) {
      pos += channel.write(b, pos);
    }
    channelSize = pos;
    if (c.segment() <= Locations.MAX_NUMBER) {
      writtenLocation = Locations.of(false, c.segment(), pos);
    }
    writes.increment();
    bytesWritten.add(c.buf().size());
    writtenSequence = c.last();
  }

  private void openSegment(Chunk c) throws IOException {
    if (channel != null) {
      channel.force(false); // a finished segment is always durable
      syncedSequence = writtenSequence;
      channel.close();
      channel = null;
    }
    Path file = dir.segment(c.segment());
    FileChannel ch = dir.opener.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING);
    try {
      Buf header = new Buf(RecordFormat.FILE_HEADER_BYTES);
      RecordFormat.writeFileHeader(header, RecordFormat.KIND_SEGMENT, c.first() - 1, c.segment());
      ch.write(header.view(), 0);
      ch.force(true);
      dir.sync();
    } catch (IOException e) {
      ch.close();
      throw e;
    }
    channel = ch;
    channelSegment = c.segment();
    channelSize = RecordFormat.FILE_HEADER_BYTES;
  }

  /** Has the sync thread write everything appended so far (not sync it), once per request. */
  private void requestWrite() {
    if (closing || !writeQueued.compareAndSet(false, true)) {
      return;
    }
    try {
      timer.execute(() -> {
        writeQueued.set(false);
        try {
          if (!closed) {
            flush(Long.MAX_VALUE, false);
          }
        } catch (UncheckedIOException e) {
          LOG.log(Level.WARNING, "warp-wal could not write spilled values; a read of one, or"
              + " the next write, will try again", e);
        }
      });
    } catch (RejectedExecutionException e) {
      writeQueued.set(false); // closing: close() writes everything
    }
  }

  private void backgroundSync() {
    try {
      flush(Long.MAX_VALUE, true);
    } catch (UncheckedIOException e) {
      LOG.log(Level.WARNING, "warp-wal periodic sync failed; retrying at the next interval", e);
    }
  }

  // ------------------------------------------------------------------ snapshots

  private void requestSnapshot(boolean due) {
    if (due && !closing && snapshotQueued.compareAndSet(false, true)) {
      snapshotter.execute(() -> {
        try {
          if (!closed) {
            snapshot();
          }
        } catch (RuntimeException e) {
          LOG.log(Level.WARNING, "warp-wal background snapshot failed; the log keeps everything"
              + " and the next snapshot will try again", e);
        } finally {
          snapshotQueued.set(false);
        }
      });
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
          if (tailSegmentBytes > RecordFormat.FILE_HEADER_BYTES) {
            roll();
          }
          bytesSinceCut = 0;
          unsnapshottedBytes = 0;
          return new Cut(lastSequence, tailSegment, new LinkedHashMap<>(metadata));
        } finally {
          appendLock.unlock();
        }
      });
      if (cut.sequence() == snapshotSequence) {
        return; // nothing was written since the last one
      }
      flush(cut.sequence(), false); // no record it covers may reach a segment after it
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
        int start = RecordFormat.begin(buf, RecordFormat.MIN_BODY + 8L, cut.sequence(),
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
    m.put("writes", writes.sum());
    m.put("syncs", syncs.sum());
    m.put("bytesWritten", bytesWritten.sum());
    m.put("writtenSequence", writtenSequence);
    m.put("syncedSequence", syncedSequence);
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

  @Override
  public void close() {
    if (closing) {
      return;
    }
    closing = true;
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
      if (recovered) {
        flush(Long.MAX_VALUE, true);
      }
    } finally {
      try {
        if (channel != null) {
          channel.close();
        }
      } catch (IOException e) {
        LOG.log(Level.WARNING, "warp-wal could not close " + dir.segment(channelSegment), e);
      } finally {
        closeReaders();
        dir.close();
      }
    }
  }
}
