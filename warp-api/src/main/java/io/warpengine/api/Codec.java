package io.warpengine.api;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Turns typed values into the bytes the engine stores and back. Implementations must be
 * stateless and thread-safe; {@link #decode} rejects bytes it cannot read with an
 * {@link IllegalArgumentException}.
 *
 * @param <T> the value type
 */
public interface Codec<T> {

  byte[] encode(T value);

  T decode(byte[] bytes);

  /**
   * UTF-8 text. Text that has no UTF-8 form (an unpaired surrogate) and bytes that are not
   * UTF-8 are rejected, not replaced: what is stored is exactly what was given, and what is read
   * is exactly what was stored.
   */
  Codec<String> STRING = new Codec<>() {
    @Override public byte[] encode(String value) {
      for (int i = 0; i < value.length(); i++) {
        if (Character.isSurrogate(value.charAt(i))) {
          return strictlyEncoded(value); // it may be unpaired, which getBytes turns into '?'
        }
      }
      return value.getBytes(StandardCharsets.UTF_8);
    }

    private byte[] strictlyEncoded(String value) {
      try {
        ByteBuffer utf8 = StandardCharsets.UTF_8.newEncoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT).encode(CharBuffer.wrap(value));
        return Arrays.copyOfRange(utf8.array(), utf8.position(), utf8.limit());
      } catch (CharacterCodingException e) {
        throw new IllegalArgumentException("STRING codec: the text has no UTF-8 form (" + e
            + "), as an unpaired surrogate has none", e);
      }
    }

    @Override public String decode(byte[] bytes) {
      String text = new String(bytes, StandardCharsets.UTF_8);
      if (text.indexOf('\uFFFD') < 0) {
        return text; // nothing was replaced: the common case, decoded once
      }
      try { // a replacement character: stored as such, or standing for malformed bytes
        return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes))
            .toString();
      } catch (CharacterCodingException e) {
        throw new IllegalArgumentException("STRING codec: the stored value is not UTF-8 (" + e
            + ")", e);
      }
    }
  };

  /** A signed 64-bit integer as 8 big-endian bytes. */
  Codec<Long> LONG = new Codec<>() {
    @Override public byte[] encode(Long value) {
      long v = value;
      byte[] out = new byte[Long.BYTES];
      for (int i = Long.BYTES - 1; i >= 0; i--) {
        out[i] = (byte) v;
        v >>>= 8;
      }
      return out;
    }

    @Override public Long decode(byte[] bytes) {
      if (bytes.length != Long.BYTES) {
        throw new IllegalArgumentException(
            "LONG codec expects 8 bytes but the stored value has " + bytes.length);
      }
      long v = 0;
      for (byte b : bytes) {
        v = (v << 8) | (b & 0xFF);
      }
      return v;
    }
  };

  /** Raw bytes, copied both ways so the caller's array and the returned one stay independent. */
  Codec<byte[]> BYTES = new Codec<>() {
    @Override public byte[] encode(byte[] value) {
      return Arrays.copyOf(value, value.length);
    }

    @Override public byte[] decode(byte[] bytes) {
      return Arrays.copyOf(bytes, bytes.length);
    }
  };
}
