package io.warpengine.wal;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.warpengine.WarpOptions;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Encodes and decodes the file header and the records (the layout is drawn in the package
 * documentation). Decoding never trusts a length before checking it against the bytes that
 * are actually there, so garbage cannot make it allocate more than the file holds.
 */
final class RecordFormat {

  static final long MAGIC = 0x5741525057414C0AL; // "WARPWAL\n"
  /**
   * The format written. Version 1 files have no flags; a version 1 segment may follow a gap in
   * the numbers, as any could before flags marked the ones that may.
   */
  static final int VERSION = 2;
  /** A segment flag: its base sequence skips numbers that recovery dropped (see FileHeader). */
  static final int FLAG_AFTER_DROPPED = 1;
  static final int KIND_SEGMENT = 1;
  static final int KIND_SNAPSHOT = 2;
  static final int FILE_HEADER_BYTES = 40;

  static final int RECORD_HEADER_BYTES = 12;
  /** Sequence and operation: the smallest body. */
  static final int MIN_BODY = 9;
  /** A snapshot's end record, its last: a header and a body of sequence, op and entry count. */
  static final int SNAPSHOT_END_BYTES = RECORD_HEADER_BYTES + MIN_BODY + 8;
  /** The largest body: a largest value plus a largest key and change. */
  static final int MAX_BODY = WarpOptions.MAX_VALUE_BYTES_LIMIT + (1 << 20);

  static final byte PUT = 1;
  static final byte DELETE = 2;
  static final byte BATCH = 3;
  static final byte METADATA = 4;
  static final byte SNAPSHOT_END = 5;

  private RecordFormat() {}

  /**
   * A file's header. {@code segment}: a segment's own number, or the first one a snapshot does
   * not cover. {@code flags}: {@link #FLAG_AFTER_DROPPED} or 0.
   */
  record FileHeader(int version, int kind, long baseSequence, long segment, int flags) {

    /**
     * Whether the segment may start past the end of the log before it: only one that recovery
     * created after dropping records (their numbers are never used again) may, or one written
     * before version 2, which did not say.
     */
    boolean mayFollowAGap() {
      return version == 1 || (flags & FLAG_AFTER_DROPPED) != 0;
    }
  }

  static void writeFileHeader(Buf buf, int kind, long baseSequence, long segment) {
    writeFileHeader(buf, kind, baseSequence, segment, 0);
  }

  static void writeFileHeader(Buf buf, int kind, long baseSequence, long segment, int flags) {
    buf.ensure(FILE_HEADER_BYTES);
    int start = buf.size();
    buf.putLong(MAGIC);
    buf.putInt(VERSION);
    buf.putInt(kind);
    buf.putLong(baseSequence);
    buf.putLong(segment);
    buf.putInt(flags);
    CRC32C crc = new CRC32C();
    crc.update(buf.array(), start, FILE_HEADER_BYTES - 4);
    buf.putInt((int) crc.getValue());
  }

  /** Reads a header from the start of {@code b}, or throws {@link BadRecordException} why not. */
  static FileHeader readFileHeader(ByteBuffer b) throws BadRecordException {
    if (b.remaining() < FILE_HEADER_BYTES) {
      throw new BadRecordException("file is " + b.remaining() + " bytes, shorter than the "
          + FILE_HEADER_BYTES + "-byte warp-wal header");
    }
    int start = b.position();
    if (b.getLong() != MAGIC) {
      throw new BadRecordException("not a warp-wal file (wrong magic number)");
    }
    int version = b.getInt();
    if (version < 1 || version > VERSION) {
      throw new BadRecordException("format version " + version + ", this warp-wal reads 1 to "
          + VERSION);
    }
    int kind = b.getInt();
    if (kind != KIND_SEGMENT && kind != KIND_SNAPSHOT) {
      throw new BadRecordException("unknown file kind " + kind);
    }
    long baseSequence = b.getLong();
    long segment = b.getLong();
    int flags = b.getInt();
    if ((flags & ~FLAG_AFTER_DROPPED) != 0 || (version == 1 && flags != 0)) {
      throw new BadRecordException("unknown header flags " + flags);
    }
    FileHeader h = new FileHeader(version, kind, baseSequence, segment, flags);
    CRC32C crc = new CRC32C();
    crc.update(b.slice(start, FILE_HEADER_BYTES - 4));
    if ((int) crc.getValue() != b.getInt()) {
      throw new BadRecordException("the file header's checksum does not match");
    }
    return h;
  }

  // ------------------------------------------------------------------ encoding

  static long putBody(byte[] key, byte[] value) {
    return putBody(key.length, value.length);
  }

  static long putBody(int keyBytes, int valueBytes) {
    return MIN_BODY + 8L + keyBytes + valueBytes;
  }

  static long deleteBody(byte[] key) {
    return MIN_BODY + 4L + key.length;
  }

  /** Starts a record whose body is {@code bodyLength} bytes; returns where it starts. */
  static int begin(Buf buf, long bodyLength, long sequence, byte op) {
    if (bodyLength > MAX_BODY) {
      throw new IllegalArgumentException("a record of " + bodyLength
          + " bytes is over the journal's limit of " + MAX_BODY + " bytes");
    }
    int len = (int) bodyLength;
    buf.ensure(RECORD_HEADER_BYTES + len);
    int start = buf.size();
    buf.putInt(len);
    buf.putInt(~len);
    buf.putInt(0);
    buf.putLong(sequence);
    buf.putByte(op);
    return start;
  }

  static void putBytes(Buf buf, byte[] b) {
    buf.putInt(b.length);
    buf.put(b);
  }

  /** Completes the record started at {@code start}: fills in its checksum. */
  static void end(Buf buf, int start, CRC32C crc) {
    crc.reset();
    crc.update(buf.array(), start + RECORD_HEADER_BYTES, buf.size() - start - RECORD_HEADER_BYTES);
    buf.setInt(start + 8, (int) crc.getValue());
  }

  static void encodePut(Buf buf, long sequence, byte[] key, byte[] value, CRC32C crc) {
    int start = begin(buf, putBody(key, value), sequence, PUT);
    putBytes(buf, key);
    putBytes(buf, value);
    end(buf, start, crc);
  }

  // ------------------------------------------------------------------ decoding

  /** A decoded record. */
  sealed interface LogRecord {
    long sequence();
  }

  record Put(long sequence, String key, byte[] value) implements LogRecord {}

  record Delete(long sequence, String key) implements LogRecord {}

  record Batch(long sequence, List<Put> entries) implements LogRecord {}

  record Metadata(long sequence, String owner, byte[] payload) implements LogRecord {}

  record SnapshotEnd(long sequence, long entries) implements LogRecord {}

  /** Why bytes are not a valid record; the reader adds the file and offset. */
  static final class BadRecordException extends Exception {
    private static final long serialVersionUID = 1;

    BadRecordException(String reason) {
      super(reason, null, false, false);
    }
  }

  /** What {@link #check} found at a position. */
  enum Check { OK, SHORT, BAD }

  /**
   * Whether a whole, checksum-valid record starts at {@code b}'s position, looking at most at
   * {@code b}'s remaining bytes. Does not move {@code b}.
   */
  static Check check(ByteBuffer b, CRC32C crc) {
    int at = b.position();
    int available = b.remaining();
    if (available < RECORD_HEADER_BYTES) {
      return Check.SHORT;
    }
    int len = b.getInt(at);
    if (b.getInt(at + 4) != ~len || len < MIN_BODY || len > MAX_BODY) {
      return Check.BAD;
    }
    if (available - RECORD_HEADER_BYTES < len) {
      return Check.SHORT;
    }
    crc.reset();
    if (b.hasArray()) { // recovery's window: no slice to allocate per record
      crc.update(b.array(), b.arrayOffset() + at + RECORD_HEADER_BYTES, len);
    } else {
      crc.update(b.slice(at + RECORD_HEADER_BYTES, len));
    }
    return (int) crc.getValue() == b.getInt(at + 8) ? Check.OK : Check.BAD;
  }

  /**
   * The whole length of the record at {@code b}'s position, once {@link #check} found its header
   * sound (it said OK, or SHORT: the header is whole but the body is not all in the buffer).
   */
  static int recordLength(ByteBuffer b) {
    return RECORD_HEADER_BYTES + b.getInt(b.position());
  }

  /**
   * Decodes the checked record at {@code b}'s position and moves past it.
   *
   * @throws BadRecordException if its body does not parse (possible only for a forged checksum)
   */
  static LogRecord decode(ByteBuffer b) throws BadRecordException {
    int start = b.position();
    int end = start + RECORD_HEADER_BYTES + b.getInt(start);
    int limit = b.limit();
    // The body is read in place, between a limit at its end and the buffer's own limit put
    // back after: a slice per record would be recovery's largest allocation after the data.
    b.limit(end).position(start + RECORD_HEADER_BYTES);
    try {
      long sequence = b.getLong();
      byte op = b.get();
      LogRecord r = switch (op) {
        case PUT -> new Put(sequence, key(b), bytes(b));
        case DELETE -> new Delete(sequence, key(b));
        case BATCH -> batch(sequence, b);
        case METADATA -> new Metadata(sequence, owner(b), bytes(b));
        case SNAPSHOT_END -> new SnapshotEnd(sequence, count(b, Long.MAX_VALUE));
        default -> throw new BadRecordException("unknown operation " + op);
      };
      if (b.hasRemaining()) {
        throw new BadRecordException(b.remaining() + " stray bytes after the record's body");
      }
      return r;
    } finally {
      b.limit(limit).position(end);
    }
  }

  private static Batch batch(long sequence, ByteBuffer body) throws BadRecordException {
    // Every entry takes at least 9 bytes (two lengths and a 1-byte key): bound before allocating.
    int n = (int) count(body, body.remaining() / 9);
    List<Put> entries = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      entries.add(new Put(sequence, key(body), bytes(body)));
    }
    return new Batch(sequence, entries);
  }

  private static long count(ByteBuffer body, long max) throws BadRecordException {
    if (body.remaining() < (max == Long.MAX_VALUE ? 8 : 4)) {
      throw new BadRecordException("body too short for its count");
    }
    long n = max == Long.MAX_VALUE ? body.getLong() : body.getInt();
    if (n < 0 || n > max) {
      throw new BadRecordException("count " + n + " out of range 0.." + max);
    }
    return n;
  }

  private static String key(ByteBuffer body) throws BadRecordException {
    int n = length(body);
    if (n == 0 || n > WarpOptions.MAX_KEY_BYTES) {
      throw new BadRecordException("key length " + n + " out of range 1.."
          + WarpOptions.MAX_KEY_BYTES);
    }
    String key;
    if (body.hasArray()) { // decoded in place: recovery decodes a key per record
      key = new String(body.array(), body.arrayOffset() + body.position(), n, UTF_8);
      body.position(body.position() + n);
    } else {
      byte[] k = new byte[n];
      body.get(k);
      key = new String(k, UTF_8);
    }
    return key;
  }

  private static String owner(ByteBuffer body) throws BadRecordException {
    byte[] o = bytes(body);
    if (o.length == 0 || o.length > 255) {
      throw new BadRecordException("metadata owner length " + o.length + " out of range 1..255");
    }
    return new String(o, UTF_8);
  }

  private static byte[] bytes(ByteBuffer body) throws BadRecordException {
    byte[] out = new byte[length(body)];
    body.get(out);
    return out;
  }

  /** Reads a length field and checks that that many bytes follow in the record. */
  private static int length(ByteBuffer body) throws BadRecordException {
    if (body.remaining() < 4) {
      throw new BadRecordException("body ends inside a length field");
    }
    int n = body.getInt();
    if (n < 0 || n > body.remaining()) {
      throw new BadRecordException("length " + n + " exceeds the " + body.remaining()
          + " bytes left in the record");
    }
    return n;
  }
}
