package io.warpengine.wal;

import java.io.IOException;
import java.io.SyncFailedException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The segment the log appends to. Mapped into memory when the journal does not sync every
 * write: an append is then a copy into the mapping, which is the kernel's page cache for the
 * file, so the record has reached the OS (it survives the process) without a system call.
 * When every write is synced ({@code ALWAYS}) the segment is not mapped: a sync write-protects
 * the mapped pages it cleans, so the next copy into the same page would take a page fault (and
 * a filesystem journal update) per record. An append then copies the record into a staging
 * buffer on the heap, and {@link #writeStaged} writes everything staged with one positional
 * write: the group commit's leader calls it just before its sync, so a round of many writers
 * costs one write call and one fsync, not a write call per record under the append lock.
 * Staged records have not reached the OS; under {@code ALWAYS} nothing is acknowledged before
 * its sync, and a record whose location is handed out is written first (see the journal).
 *
 * <p>A store into a mapping cannot report a full disk: the kernel would signal the process
 * instead. So space is claimed ahead of the appends by writing zeros through the channel, in
 * steps of {@link #ALLOCATION_STEP}; a full disk fails that write with an ordinary
 * {@link IOException} before any record is placed there. The file therefore ends in zeros
 * after the last record until {@link #retire} truncates it; recovery recognises such a zero
 * tail after a crash (see {@link LogReader#zerosFrom}).
 *
 * <p>The journal calls everything under its append lock, except {@link #channel()} for a sync,
 * whose channel a concurrent retire may close (the caller then finds the retire synced it).
 */
final class ActiveSegment {

  /** Bytes claimed on disk at a time ahead of the appends. */
  static final int ALLOCATION_STEP = 1 << 20;
  /** Bytes of records staged at most before an append writes them out itself. */
  static final int STAGING_BYTES = 1 << 20;
  private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(ALLOCATION_STEP)
      .asReadOnlyBuffer();

  final long number;
  private final Path file;
  private final DataDirectory dir;
  private final boolean mapped;
  private FileChannel channel;
  private boolean retired;
  /** The mapping and its arena; null unless {@code mapped}. */
  private Arena arena;
  private MemorySegment mapping;
  /** Bytes the segment may hold: the mapping's size. */
  private long capacity;
  /** Bytes of header and records. */
  private long size;
  /** Bytes from the start of the file whose space has been claimed (written at least once). */
  private long allocated;
  /** Unless {@code mapped}: the records after {@code size - staged.size()}, not yet written. */
  private final Buf staged;

  private ActiveSegment(DataDirectory dir, long number, FileChannel channel, long size,
                        boolean mapped) {
    this.dir = dir;
    this.mapped = mapped;
    this.number = number;
    this.file = dir.segment(number);
    this.channel = channel;
    this.size = size;
    this.allocated = size;
    this.staged = mapped ? null : new Buf(STAGING_BYTES);
  }

  /**
   * Creates segment {@code number} (replacing a file of that name) with its header, durably:
   * the file and its name are synced before the first record can land in it.
   * {@code afterDropped}: recovery dropped records, and {@code baseSequence} skips their
   * numbers, which the header then says (a gap anywhere else is records missing).
   */
  static ActiveSegment create(DataDirectory dir, long number, long baseSequence, long capacity,
                              boolean mapped, boolean afterDropped) throws IOException {
    FileChannel ch = dir.opener.open(dir.segment(number), StandardOpenOption.CREATE,
        StandardOpenOption.READ, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
    try {
      Buf header = new Buf(RecordFormat.FILE_HEADER_BYTES);
      RecordFormat.writeFileHeader(header, RecordFormat.KIND_SEGMENT, baseSequence, number,
          afterDropped ? RecordFormat.FLAG_AFTER_DROPPED : 0);
      ByteBuffer b = header.view();
      while (b.hasRemaining()) {
        ch.write(b, b.position());
      }
      ch.force(true);
      dir.sync();
      ActiveSegment s = new ActiveSegment(dir, number, ch, RecordFormat.FILE_HEADER_BYTES, mapped);
      s.map(capacity);
      return s;
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  /** Continues an existing segment whose records end at {@code size} (recovery checked them). */
  static ActiveSegment reopen(DataDirectory dir, long number, long size, long capacity,
                              boolean mapped) throws IOException {
    FileChannel ch = dir.opener.open(dir.segment(number), StandardOpenOption.READ,
        StandardOpenOption.WRITE);
    try {
      ActiveSegment s = new ActiveSegment(dir, number, ch, size, mapped);
      s.map(Math.max(capacity, size));
      return s;
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  /**
   * Maps the first {@code bytes} of the file, replacing any earlier mapping only once the new one
   * exists: if mapping fails, the segment is as it was.
   */
  private void map(long bytes) throws IOException {
    if (mapped) {
      Arena a = Arena.ofShared();
      MemorySegment m;
      try {
        m = channel().map(FileChannel.MapMode.READ_WRITE, 0, bytes, a);
      } catch (IOException | RuntimeException e) {
        a.close();
        throw e;
      }
      unmap();
      mapping = m;
      arena = a;
    }
    capacity = bytes;
  }

  long size() {
    return size;
  }

  boolean hasRecords() {
    return size > RecordFormat.FILE_HEADER_BYTES;
  }

  /** Whether {@code bytes} more fit into the mapping. */
  boolean fits(long bytes) {
    return size + bytes <= capacity;
  }

  /** Maps a segment without records again, larger, so that one record of {@code bytes} fits. */
  void growFor(long bytes) throws IOException {
    if (hasRecords()) {
      throw new IllegalStateException("only a segment without records grows");
    }
    map(size + bytes);
  }

  /**
   * Places the encoded record(s) in {@code records} after the last one: copied into the mapping,
   * or staged. Claims the space first; if that fails (disk full), nothing was placed and the
   * segment is unchanged.
   */
  void append(Buf records) throws IOException {
    long end = size + records.size();
    while (allocated < end) {
      long step = Math.min(ALLOCATION_STEP, capacity - allocated);
      ByteBuffer zeros = ZEROS.duplicate().limit((int) step);
      while (zeros.hasRemaining()) {
        channel().write(zeros, allocated + zeros.position());
      }
      allocated += step;
    }
    if (mapped) {
      MemorySegment.copy(records.array(), 0, mapping, ValueLayout.JAVA_BYTE, size, records.size());
    } else {
      if (records.size() > STAGING_BYTES - staged.size()) {
        writeStaged(); // no room: out with what is staged, so the file keeps log order
      }
      if (records.size() > STAGING_BYTES) {
        write(records.view(), size); // a record larger than the buffer goes straight out
      } else {
        staged.put(records.array(), records.size());
      }
    }
    size = end;
  }

  /**
   * Writes the staged records into the file, with one positional write; if that fails they stay
   * staged, and the next call writes them again.
   */
  void writeStaged() throws IOException {
    if (staged != null && staged.size() > 0) {
      write(staged.view(), size - staged.size());
      staged.clear();
    }
  }

  private void write(ByteBuffer bytes, long at) throws IOException {
    while (bytes.hasRemaining()) {
      channel().write(bytes, at + bytes.position());
    }
  }

  /**
   * The channel, reopened if an interrupt closed it during I/O (a {@code FileChannel} closes
   * itself then; the mapping stays valid).
   */
  synchronized FileChannel channel() throws IOException {
    if (retired) {
      throw new ClosedChannelException();
    }
    if (!channel.isOpen()) {
      channel = dir.opener.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
    }
    return channel;
  }

  /**
   * Makes every record durable and ends the segment: unmaps it, cuts the zeros after the last
   * record and closes it. If the sync fails, the segment stays active and unchanged.
   */
  void retire(Syncer syncer) throws IOException {
    writeStaged();
    syncer.sync(this, false);
    channel.truncate(size);
    allocated = size; // whatever happens next, the space after the records is no longer claimed
    syncer.sync(this, true);
    abandon();
  }

  /** How the journal syncs a segment (it orders the syncs of all segments; see its comment). */
  @FunctionalInterface
  interface Syncer {
    void sync(ActiveSegment segment, boolean metaData) throws IOException;
  }

  /**
   * Syncs the file's data ({@code metaData}: and its size). A failure of the sync itself is a
   * {@link SyncFailedException}: after it, no record written since the last good sync can be
   * trusted to be on disk, even if a later sync succeeds (the kernel may have dropped the pages
   * it failed to write and marked them clean). A channel that an interrupt closed, or that
   * cannot be reopened, fails as itself: no sync ran.
   */
  void force(boolean metaData) throws IOException {
    FileChannel ch = channel();
    try {
      ch.force(metaData);
    } catch (ClosedChannelException e) {
      throw e;
    } catch (IOException e) {
      SyncFailedException failed = new SyncFailedException("sync of " + file + " failed: " + e);
      failed.initCause(e);
      throw failed;
    }
  }

  /**
   * Unmaps and closes without syncing: how {@link #retire} ends, and all the journal can do
   * with a segment it could not retire.
   */
  synchronized void abandon() throws IOException {
    retired = true;
    unmap();
    channel.close();
  }

  private void unmap() {
    if (arena != null) {
      arena.close();
      arena = null;
      mapping = null;
    }
  }
}
