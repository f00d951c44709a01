package io.warpengine.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class CodecTest {

  @Test
  void longCodecIsBigEndianAndRoundTripsTheExtremes() {
    assertArrayEquals(new byte[] {0, 0, 0, 0, 0, 0, 1, 2}, Codec.LONG.encode(258L));
    for (long v : List.of(Long.MIN_VALUE, -1L, 0L, 1L, Long.MAX_VALUE)) {
      assertEquals(v, Codec.LONG.decode(Codec.LONG.encode(v)));
    }
    assertThrows(IllegalArgumentException.class, () -> Codec.LONG.decode(new byte[7]));
  }

  @Test
  void stringCodecIsUtf8() {
    assertArrayEquals(new byte[] {(byte) 0xE2, (byte) 0x82, (byte) 0xAC}, Codec.STRING.encode("€"));
    assertEquals("ü€😀", Codec.STRING.decode(Codec.STRING.encode("ü€😀")));
  }

  @Test
  void stringCodecRejectsWhatUtf8CannotCarryInsteadOfReplacingIt() {
    IllegalArgumentException notUtf8 = assertThrows(IllegalArgumentException.class,
        () -> Codec.STRING.decode(new byte[] {'a', (byte) 0xC3}));
    assertTrue(notUtf8.getMessage().contains("not UTF-8"), notUtf8.getMessage());
    IllegalArgumentException noForm = assertThrows(IllegalArgumentException.class,
        () -> Codec.STRING.encode("a\uD800b"));
    assertTrue(noForm.getMessage().contains("no UTF-8 form"), noForm.getMessage());
    assertEquals("a\uFFFDb", Codec.STRING.decode(Codec.STRING.encode("a\uFFFDb")),
        "a replacement character that was stored is read back");
    assertArrayEquals(new byte[0], Codec.STRING.encode(""));
  }

  @Test
  void bytesCodecCopies() {
    byte[] in = {1, 2};
    assertNotSame(in, Codec.BYTES.encode(in));
    assertNotSame(in, Codec.BYTES.decode(in));
  }
}
