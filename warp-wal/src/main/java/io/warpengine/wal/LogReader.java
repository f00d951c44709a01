package io.warpengine.wal;

import io.warpengine.wal.RecordFormat.BadRecordException;
import io.warpengine.wal.RecordFormat.Check;
import io.warpengine.wal.RecordFormat.FileHeader;
import io.warpengine.wal.RecordFormat.LogRecord;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * Reads one segment or snapshot file front to back through a 1 MiB window (larger only for a
 * record that needs it, and never larger than what the file still holds). Not thread-safe.
 */
final class LogReader implements AutoCloseable {

  private static final int WINDOW = 1 << 20;

  /** A record that is not whole and valid at {@link #offset}; {@code cut} if the file ends inside it. */
  static final class Invalid extends Exception {
    private static final long serialVersionUID = 1;
    final long offset;
    final boolean cut;

    Invalid(long offset, boolean cut, String reason) {
      super(reason, null, false, false);
      this.offset = offset;
      this.cut = cut;
    }
  }

  final Path file;
  final long size;
  private FileHeader header;
  private final FileChannel channel;
  private final CRC32C crc = new CRC32C();
  /** On the heap, so that keys decode straight from it (see {@link RecordFormat#decode}). */
  private ByteBuffer window = ByteBuffer.allocate(WINDOW).limit(0);
  /** The file offset of {@code window}'s index 0. */
  private long base;

  private LogReader(Path file, FileChannel channel, long size) {
    this.file = file;
    this.channel = channel;
    this.size = size;
  }

  FileHeader header() {
    return header;
  }

  /** A file whose header is damaged or of the wrong kind; the message names file and offset. */
  static final class BadHeader extends IllegalStateException {
    final String reason;

    BadHeader(Path file, String reason) {
      super(Recovery.damage(file, 0, reason));
      this.reason = reason;
    }
  }

  /**
   * Opens {@code file} and reads its header, which must be of {@code kind}.
   *
   * @throws BadHeader if it is not such a header
   */
  static LogReader open(Path file, int kind) throws IOException {
    FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
    try {
      LogReader r = new LogReader(file, ch, ch.size());
      r.fill(RecordFormat.FILE_HEADER_BYTES);
      FileHeader h = RecordFormat.readFileHeader(r.window);
      if (h.kind() != kind) {
        throw new BadRecordException("a " + kindName(h.kind()) + " file where a "
            + kindName(kind) + " file was expected");
      }
      r.header = h;
      return r;
    } catch (BadRecordException e) {
      ch.close();
      throw new BadHeader(file, e.getMessage());
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  private static String kindName(int kind) {
    return kind == RecordFormat.KIND_SEGMENT ? "log segment" : "snapshot";
  }

  /** The file offset of the next record. */
  long offset() {
    return base + window.position();
  }

  /** The next record, or null at the end of the file. */
  LogRecord next() throws IOException, Invalid {
    long at = offset();
    if (at == size) {
      return null;
    }
    if (!fill(RecordFormat.RECORD_HEADER_BYTES)) {
      throw new Invalid(at, true, "the file ends inside a record header");
    }
    Check c = RecordFormat.check(window, crc);
    if (c == Check.SHORT) {
      int whole = RecordFormat.recordLength(window);
      if (!fill(whole)) {
        throw new Invalid(at, true, "the file ends inside a record of " + whole + " bytes");
      }
      c = RecordFormat.check(window, crc);
    }
    if (c == Check.BAD) {
      throw new Invalid(at, false, "bad record header or checksum");
    }
    try {
      return RecordFormat.decode(window);
    } catch (BadRecordException e) {
      throw new Invalid(at, false, e.getMessage());
    }
  }

  /**
   * Whether a whole, valid record starts anywhere after {@code from}: if not, the damage at
   * {@code from} is a torn tail; if so, it is damage in the middle of the log.
   */
  boolean validRecordAfter(long from) throws IOException {
    long length = size - from - 1;
    if (length < RecordFormat.RECORD_HEADER_BYTES + RecordFormat.MIN_BODY) {
      return false;
    }
    // Mapped, not read: the rest of a segment can be large, and the heap need not hold it.
    ByteBuffer rest = channel.map(FileChannel.MapMode.READ_ONLY, from + 1,
        Math.min(length, Integer.MAX_VALUE - 16));
    for (int i = 0; i + RecordFormat.RECORD_HEADER_BYTES <= rest.limit(); i++) {
      if (RecordFormat.check(rest.position(i), crc) == Check.OK) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether every byte from {@code from} to the end of the file is zero: the space a segment
   * claimed ahead of its appends ({@link ActiveSegment}), which a crash leaves after the last
   * record. Not damage, and nothing was lost there.
   */
  boolean zerosFrom(long from) throws IOException {
    for (long at = from; at < size; at += Integer.MAX_VALUE - 16) {
      ByteBuffer rest = channel.map(FileChannel.MapMode.READ_ONLY, at,
          Math.min(size - at, Integer.MAX_VALUE - 16));
      while (rest.remaining() >= Long.BYTES) {
        if (rest.getLong() != 0) {
          return false;
        }
      }
      while (rest.hasRemaining()) {
        if (rest.get() != 0) {
          return false;
        }
      }
    }
    return true;
  }

  /** Makes {@code need} bytes available at the window's position; false if the file is shorter. */
  private boolean fill(int need) throws IOException {
    if (window.remaining() >= need) {
      return true;
    }
    long at = offset();
    if (size - at < need) {
      return false;
    }
    if (need > window.capacity()) {
      ByteBuffer bigger = ByteBuffer.allocate(need);
      bigger.put(window);
      window = bigger;
    } else {
      window.compact();
    }
    base = at;
    while (window.position() < need) {
      if (channel.read(window, base + window.position()) < 0) {
        throw new EOFException("file " + file + " shrank while being read");
      }
    }
    window.flip();
    return true;
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
