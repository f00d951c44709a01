package io.warpengine.wal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warpengine.wal.RecordFormat.BadRecordException;
import io.warpengine.wal.RecordFormat.Check;
import io.warpengine.wal.RecordFormat.LogRecord;
import io.warpengine.wal.RecordFormat.Put;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

class RecordFormatTest {

  private final CRC32C crc = new CRC32C();

  @Test
  void aPutRoundTripsAndAnyFlippedByteIsCaught() throws Exception {
    Buf buf = new Buf(16);
    RecordFormat.encodePut(buf, 42, "clé".getBytes(UTF_8), new byte[] {0, 1, 2, -1}, crc);
    ByteBuffer b = buf.view();
    assertEquals(Check.OK, RecordFormat.check(b, crc));
    Put p = assertInstanceOf(Put.class, RecordFormat.decode(b));
    assertEquals(42, p.sequence());
    assertEquals("clé", p.key());
    assertArrayEquals(new byte[] {0, 1, 2, -1}, p.value());
    assertEquals(buf.size(), b.position());

    for (int i = 0; i < buf.size(); i++) {
      for (int bit = 0; bit < 8; bit++) {
        byte[] copy = buf.view().array().clone();
        copy[i] ^= (byte) (1 << bit);
        ByteBuffer flipped = ByteBuffer.wrap(copy, 0, buf.size());
        Check c = RecordFormat.check(flipped, crc);
        assertEquals(true, c != Check.OK, "flip of bit " + bit + " of byte " + i + " went unseen");
      }
    }
  }

  @Test
  void everyPrefixOfARecordIsShort() {
    Buf buf = new Buf(16);
    RecordFormat.encodePut(buf, 7, "k".getBytes(UTF_8), new byte[100], crc);
    for (int len = 0; len < buf.size(); len++) {
      assertEquals(Check.SHORT, RecordFormat.check(ByteBuffer.wrap(buf.array(), 0, len), crc),
          "prefix of " + len + " bytes");
    }
  }

  /**
   * Fuzz: random bytes, and random bodies under a valid checksum (so the body parser is reached),
   * never make the decoder throw anything but {@link BadRecordException} or allocate more than
   * the input holds.
   */
  @Test
  void fuzzedInputsAreRejectedCleanly() {
    SplittableRandom random = new SplittableRandom(20261125);
    int decoded = 0;
    for (int i = 0; i < 200_000; i++) {
      int n = random.nextInt(0, 64);
      byte[] bytes = new byte[RecordFormat.RECORD_HEADER_BYTES + n];
      random.nextBytes(bytes);
      ByteBuffer b = ByteBuffer.wrap(bytes);
      if (i % 2 == 0 && n >= RecordFormat.MIN_BODY) {
        // Forge a valid frame around the random body; bias the operation to a known one.
        b.putInt(0, n).putInt(4, ~n);
        bytes[20] = (byte) random.nextInt(0, 7);
        crc.reset();
        crc.update(bytes, RecordFormat.RECORD_HEADER_BYTES, n);
        b.putInt(8, (int) crc.getValue());
      }
      if (RecordFormat.check(b, crc) == Check.OK) {
        try {
          LogRecord r = RecordFormat.decode(b);
          decoded++;
          assertEquals(bytes.length, b.position(), "a decoded record is consumed whole: " + r);
        } catch (BadRecordException expected) {
          // the clean rejection
        }
      }
    }
    assertEquals(true, decoded > 0, "some forged frames must parse, or the fuzzer misses the parser");
  }

  /**
   * Decoding reads a record in place inside a larger buffer (recovery's window): it must leave
   * the position just past that record and the buffer's limit as it was, also when the body does
   * not parse, so the next record decodes; a direct buffer (a mapped file) checks the same.
   */
  @Test
  void decodingInPlaceLeavesTheBufferAtTheNextRecord() throws Exception {
    Buf buf = new Buf(16);
    RecordFormat.encodePut(buf, 1, "a".getBytes(UTF_8), new byte[] {1}, crc);
    int first = buf.size();
    RecordFormat.encodePut(buf, 2, "b".getBytes(UTF_8), new byte[] {2, 2}, crc);
    int second = buf.size();
    RecordFormat.encodePut(buf, 3, "c".getBytes(UTF_8), new byte[] {3, 3, 3}, crc);
    int third = buf.size();
    byte[] bytes = Arrays.copyOf(buf.array(), third + 5); // trailing bytes past the last
    // Forge the second record's key length beyond its body, under a valid checksum.
    ByteBuffer.wrap(bytes).putInt(first + RecordFormat.RECORD_HEADER_BYTES + 9, 1 << 20);
    crc.reset();
    crc.update(bytes, first + RecordFormat.RECORD_HEADER_BYTES,
        second - first - RecordFormat.RECORD_HEADER_BYTES);
    ByteBuffer.wrap(bytes).putInt(first + 8, (int) crc.getValue());

    ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
    for (ByteBuffer b : new ByteBuffer[] {ByteBuffer.wrap(bytes), direct}) {
      assertEquals(Check.OK, RecordFormat.check(b, crc));
      assertEquals("a", assertInstanceOf(Put.class, RecordFormat.decode(b)).key());
      assertEquals(first, b.position());
      assertEquals(bytes.length, b.limit());
      assertEquals(Check.OK, RecordFormat.check(b, crc));
      BadRecordException e = assertThrows(BadRecordException.class, () -> RecordFormat.decode(b));
      assertEquals("length 1048576 exceeds the " + (second - first
          - RecordFormat.RECORD_HEADER_BYTES - 13) + " bytes left in the record", e.getMessage());
      assertEquals(second, b.position());
      assertEquals(bytes.length, b.limit());
      assertEquals(Check.OK, RecordFormat.check(b, crc));
      Put p = assertInstanceOf(Put.class, RecordFormat.decode(b));
      assertEquals("c", p.key());
      assertArrayEquals(new byte[] {3, 3, 3}, p.value());
      assertEquals(third, b.position());
      assertEquals(bytes.length, b.limit());
    }
  }

  @Test
  void theFileHeaderIsChecked() {
    Buf buf = new Buf(8);
    RecordFormat.writeFileHeader(buf, RecordFormat.KIND_SNAPSHOT, 9, 3);
    ByteBuffer good = buf.view();
    assertEquals(new RecordFormat.FileHeader(RecordFormat.VERSION, RecordFormat.KIND_SNAPSHOT, 9,
        3, 0), assertDoesNotThrowHeader(good));
    byte[] wrongVersion = buf.view().array().clone();
    wrongVersion[11] = 9;
    BadRecordException e = assertThrows(BadRecordException.class,
        () -> RecordFormat.readFileHeader(ByteBuffer.wrap(wrongVersion, 0, buf.size())));
    assertEquals("format version 9, this warp-wal reads 1 to 2", e.getMessage());
  }

  /**
   * Only a segment that recovery started after dropping records may begin past the end of the
   * log before it, and its header says so; a version 1 header, written before the flag, may too.
   */
  @Test
  void onlyAFlaggedOrVersionOneSegmentMayFollowAGap() throws Exception {
    Buf plain = new Buf(8);
    RecordFormat.writeFileHeader(plain, RecordFormat.KIND_SEGMENT, 5, 2);
    assertFalse(RecordFormat.readFileHeader(plain.view()).mayFollowAGap());
    Buf flagged = new Buf(8);
    RecordFormat.writeFileHeader(flagged, RecordFormat.KIND_SEGMENT, 5, 2,
        RecordFormat.FLAG_AFTER_DROPPED);
    assertTrue(RecordFormat.readFileHeader(flagged.view()).mayFollowAGap());
    assertTrue(RecordFormat.readFileHeader(versionOne(plain)).mayFollowAGap());
    Buf unknown = new Buf(8);
    RecordFormat.writeFileHeader(unknown, RecordFormat.KIND_SEGMENT, 5, 2, 4);
    BadRecordException e = assertThrows(BadRecordException.class,
        () -> RecordFormat.readFileHeader(unknown.view()));
    assertEquals("unknown header flags 4", e.getMessage());
  }

  /** {@code header} as version 1 wrote it: the version field 1, its checksum fixed. */
  private static ByteBuffer versionOne(Buf header) {
    ByteBuffer b = ByteBuffer.wrap(header.view().array().clone(), 0, header.size());
    b.putInt(8, 1);
    CRC32C crc = new CRC32C();
    crc.update(b.slice(0, RecordFormat.FILE_HEADER_BYTES - 4));
    b.putInt(RecordFormat.FILE_HEADER_BYTES - 4, (int) crc.getValue());
    return b;
  }

  private static RecordFormat.FileHeader assertDoesNotThrowHeader(ByteBuffer b) {
    try {
      return RecordFormat.readFileHeader(b);
    } catch (BadRecordException e) {
      throw new AssertionError(e);
    }
  }
}
