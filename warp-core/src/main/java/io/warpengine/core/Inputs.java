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
    checkKeyNotNull(key);
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

  /**
   * The part of {@link #checkKey} that must come before a look-up (a null key cannot be
   * hashed); a read finishes with {@link #checkKeyUnlessFound}.
   */
  static void checkKeyNotNull(String key) {
    if (key == null) {
      throw new IllegalArgumentException("key must not be null");
    }
  }

  /**
   * The rest of {@link #checkKey}, for a read that has looked {@code key} up: only checked keys
   * are ever stored, so a key that was {@code found} needs no more, and a hit does not read
   * the key's characters (on a large map, a cache miss of its own).
   */
  static void checkKeyUnlessFound(String key, boolean found) {
    if (!found) {
      checkKey(key);
    }
  }

  /**
   * {@link #checkKey}, and that the key is well-formed UTF-16: an unpaired surrogate has no
   * UTF-8 form, so the journal would store another key. Run on writes only; a read of such a
   * key finds nothing, since none can be stored.
   */
  static void checkWritableKey(String key) {
    checkKey(key);
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < key.length()
          && Character.isLowSurrogate(key.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        throw new IllegalArgumentException("key '" + quote(key)
            + "' has an unpaired surrogate at index " + i + ": keys must be valid UTF-16");
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
