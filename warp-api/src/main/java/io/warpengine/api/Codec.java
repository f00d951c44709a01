package io.warpengine.api;

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

  /** UTF-8 text. */
  Codec<String> STRING = new Codec<>() {
    @Override public byte[] encode(String value) {
      return value.getBytes(StandardCharsets.UTF_8);
    }

    @Override public String decode(byte[] bytes) {
      return new String(bytes, StandardCharsets.UTF_8);
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
