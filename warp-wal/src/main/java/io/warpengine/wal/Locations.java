package io.warpengine.wal;

/**
 * Packs the location of a record into one {@code long}, the opaque value the engine keeps for a
 * value beyond the event horizon.
 *
 * <pre>
 *  63      62                               40 39                                         0
 * +-------+-----------------------------------+--------------------------------------------+
 * | kind  | file number (23 bits)             | offset of the record in the file (40 bits) |
 * | 0 seg | a segment's number, or the        |                                            |
 * | 1 snap| first segment a snapshot does not |                                            |
 * |       | cover (unique per snapshot)       |                                            |
 * +-------+-----------------------------------+--------------------------------------------+
 * </pre>
 *
 * Limits: files up to 1 TiB, file numbers up to 8,388,607 (with the default 64 MiB segments,
 * 512 TiB of log); past them {@link #of} refuses with a clear exception. Segment locations
 * grow in log order, so comparing two of them says which record was written first.
 */
final class Locations {

  private static final int OFFSET_BITS = 40;
  static final long MAX_OFFSET = (1L << OFFSET_BITS) - 1;
  static final long MAX_NUMBER = (1L << 23) - 1;

  private Locations() {}

  static long of(boolean snapshot, long number, long offset) {
    if (number < 0 || number > MAX_NUMBER || offset < 0 || offset > MAX_OFFSET) {
      throw new IllegalStateException("warp-wal cannot address offset " + offset + " of file "
          + number + ": locations hold files up to " + MAX_OFFSET + " bytes and numbers up to "
          + MAX_NUMBER);
    }
    return (snapshot ? Long.MIN_VALUE : 0) | number << OFFSET_BITS | offset;
  }

  /** The file part: kind and number, a key for the file. */
  static long file(long location) {
    return location >>> OFFSET_BITS;
  }

  static boolean isSnapshot(long location) {
    return location < 0;
  }

  static long number(long location) {
    return file(location) & MAX_NUMBER;
  }

  static long offset(long location) {
    return location & MAX_OFFSET;
  }
}
