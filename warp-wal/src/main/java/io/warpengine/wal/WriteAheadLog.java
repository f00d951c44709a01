package io.warpengine.wal;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.warpengine.spi.Journal;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
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

  /** The lowest segment number that may still exist; guarded by snapshotLock. */
  private long oldestSegment;

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
    snapshotSequence = -1;
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

  /** Appends one record whose body after the operation byte {@code body} writes. */
  private long append(long bodyLength, byte op, Consumer<Buf> body) {
    beforeAppend(bodyLength);
    appendLock.lock();
    try {
      long seq = reserve(bodyLength);
      int start = RecordFormat.begin(tail, bodyLength, seq, op);
      body.accept(tail);
      RecordFormat.end(tail, start, crc);
      return seq;
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
      appendLock.lock();
      try {
        spare = done.buf();
      } finally {
        appendLock.unlock();
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

  /** Writes the snapshot atomically: temporary file, fsync, rename, directory fsync. */
  private long writeSnapshot(Cut cut) throws IOException {
    Path target = dir.snapshot(cut.sequence());
    Path tmp = DataDirectory.temporary(target);
    CRC32C snapCrc = new CRC32C();
    try (FileChannel ch = dir.opener.open(tmp, StandardOpenOption.CREATE,
        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
      Buf buf = new Buf(SNAPSHOT_BUFFER_BYTES + (1 << 16));
      RecordFormat.writeFileHeader(buf, RecordFormat.KIND_SNAPSHOT, cut.sequence(), cut.segment());
      for (Map.Entry<String, byte[]> m : cut.metadata().entrySet()) {
        byte[] o = m.getKey().getBytes(UTF_8);
        int start = RecordFormat.begin(buf, RecordFormat.putBody(o, m.getValue()), cut.sequence(),
            RecordFormat.METADATA);
        RecordFormat.putBytes(buf, o);
        RecordFormat.putBytes(buf, m.getValue());
        RecordFormat.end(buf, start, snapCrc);
      }
      long[] entries = {0};
      try {
        host.forEachEntry((key, value) -> {
          RecordFormat.encodePut(buf, cut.sequence(), key.getBytes(UTF_8), value, snapCrc);
          entries[0]++;
          if (buf.size() >= SNAPSHOT_BUFFER_BYTES) {
            drainTo(ch, buf);
          }
        });
      } catch (UncheckedIOException e) {
        throw e.getCause();
      }
      int start = RecordFormat.begin(buf, RecordFormat.MIN_BODY + 8L, cut.sequence(),
          RecordFormat.SNAPSHOT_END);
      buf.putLong(entries[0]);
      RecordFormat.end(buf, start, snapCrc);
      drainTo(ch, buf);
      ch.force(true);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    dir.sync();
    return Files.size(target);
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
    m.put("recoveredRecords", recoveredRecords);
    m.put("recoveryMillis", TimeUnit.NANOSECONDS.toMillis(recoveryNanos));
    return m;
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
        dir.close();
      }
    }
  }
}
