package io.warpengine.wal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/** A growable big-endian byte buffer for encoding records. Not thread-safe. */
final class Buf {

  private static final VarHandle INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private byte[] bytes;
  private int size;

  Buf(int capacity) {
    bytes = new byte[capacity];
  }

  int size() {
    return size;
  }

  byte[] array() {
    return bytes;
  }

  void clear() {
    size = 0;
  }

  /** The content as a buffer over this array (valid until the next write). */
  ByteBuffer view() {
    return ByteBuffer.wrap(bytes, 0, size);
  }

  void ensure(int more) {
    long needed = (long) size + more;
    if (needed > bytes.length) {
      if (needed > Integer.MAX_VALUE - 16) {
        throw new IllegalArgumentException("a journal buffer cannot exceed 2 GiB");
      }
      bytes = Arrays.copyOf(bytes, (int) Math.min(Integer.MAX_VALUE - 16,
          Math.max(needed, 2L * bytes.length)));
    }
  }

  void putByte(int b) {
    bytes[size++] = (byte) b;
  }

  void putInt(int v) {
    INT.set(bytes, size, v);
    size += 4;
  }

  void putLong(long v) {
    LONG.set(bytes, size, v);
    size += 8;
  }

  void put(byte[] b) {
    put(b, b.length);
  }

  /** The first {@code length} bytes of {@code b}. */
  void put(byte[] b, int length) {
    System.arraycopy(b, 0, bytes, size, length);
    size += length;
  }

  void setInt(int at, int v) {
    INT.set(bytes, at, v);
  }
}
