package io.warpengine.core;

import io.warpengine.api.WarpEngine;

/**
 * Checks of caller input, run before anything is stored so that a rejected call changes
 * nothing. Every message names what was wrong and, where there is one, the key.
 */
final class Inputs {

  private static final int QUOTED_KEY_CHARS = 80;
  private final int maxValueBytes;

  Inputs(int maxValueBytes) {
    this.maxValueBytes = maxValueBytes;
  }

  static void checkKey(String key) {
    if (key == null) {
      throw new IllegalArgumentException("key must not be null");
    }
    if (key.isEmpty()) {
      throw new IllegalArgumentException("key must not be empty");
    }
    // A char is at most 3 UTF-8 bytes, so short keys need no counting.
    if (key.length() > WarpEngine.MAX_KEY_BYTES / 3) {
      long bytes = utf8Length(key);
      if (bytes > WarpEngine.MAX_KEY_BYTES) {
        throw new IllegalArgumentException("key '" + quote(key) + "' is " + bytes
            + " bytes of UTF-8, over the limit of " + WarpEngine.MAX_KEY_BYTES);
      }
    }
  }

  void checkValue(String key, byte[] value, String what) {
    if (value == null) {
      throw new IllegalArgumentException(what + " for key '" + quote(key) + "' must not be null");
    }
    if (value.length > maxValueBytes) {
      throw new IllegalArgumentException(what + " for key '" + quote(key) + "' is " + value.length
          + " bytes, over the limit of " + maxValueBytes + " (WarpOptions.maxValueBytes)");
    }
  }

  static String quote(String key) {
    return key.length() <= QUOTED_KEY_CHARS ? key : key.substring(0, QUOTED_KEY_CHARS) + "…";
  }

  /** UTF-8 length as {@link String#getBytes} would encode it (a lone surrogate becomes '?'). */
  static long utf8Length(String s) {
    long n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        n += 1;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        n += 4;
        i++;
      } else if (Character.isSurrogate(c)) {
        n += 1;
      } else {
        n += 3;
      }
    }
    return n;
  }
}
