package io.warpengine.spi;

import java.util.Map;
import java.util.function.Supplier;

/**
 * The durable log behind an engine; {@code warp-wal} provides it through {@link JournalFactory}.
 *
 * <h2>Ordering and durability are two steps</h2>
 * An {@code append…} method encodes the record into the journal's in-memory tail and returns its
 * sequence number; it does no I/O but when it fills a segment (it starts the next one and syncs
 * the full one) or the journal is in a failed state (below), so it is cheap enough to call while
 * holding a per-key lock. The engine calls it inside the same atomic section
 * that changes its map, so the log order of two writes to a key is the order in which they hit
 * the map. Then, <em>outside</em> every lock, it calls {@link #awaitDurable(long)}, which returns
 * when the record is as durable as the options' {@link io.warpengine.api.SyncPolicy} promises.
 * Concurrent waiters share one write and, under {@code ALWAYS}, one fsync (group commit).
 *
 * <p>Sequence numbers come from the journal's one counter: strictly increasing in log order and
 * never reused, also across restarts (numbers of records that recovery had to drop are
 * skipped).
 *
 * <h2>Failures</h2>
 * When a write to the disk fails (disk full, I/O error), {@link #awaitDurable} throws an
 * {@link java.io.UncheckedIOException} saying so, and the journal keeps the unwritten records
 * and retries them; until a retry succeeds every append throws the same way before changing
 * anything. So an append that returned may become durable later, but an acknowledged write is
 * never lost. A failed sync (fsync) is different: the disk may have dropped what it could not
 * write, so the journal takes no more writes, and every append and wait throws, until the
 * engine is opened again and recovery reads what is really there.
 *
 * <h2>Values beyond the event horizon</h2>
 * An engine with a residency policy keeps cold values on disk only: {@link #spill} logs a value
 * again and returns its <em>location</em>, an opaque {@code long} that {@link #read} takes back.
 * A location stays valid until a snapshot rewrites the value into the snapshot file; the
 * journal then tells the engine the new location ({@link Host#relocated}) before it deletes the
 * file the old one points into. So a read that finds its file gone ({@link #read} returns
 * null) lost a race with compaction and looks up the entry again.
 *
 * <p>All methods are thread-safe.
 */
public interface Journal extends AutoCloseable {

  /**
   * Replays the stored state into {@code handler}: the newest snapshot, then every newer record,
   * in log order. Called once, before any append.
   *
   * @return the last sequence number used so far (recovered, or held by records recovery had to
   *     drop, such as a torn tail); appends continue after it. 0 for a new journal
   */
  long recover(RecoveryHandler handler);

  /** Logs a put; returns its sequence number. No I/O (see the class comment). */
  long appendPut(String key, byte[] value);

  /** Logs a delete; returns its sequence number. No I/O. */
  long appendDelete(String key);

  /** Logs a batch as one record, all of it there after a crash or none; returns its sequence. */
  long appendBatch(Map<String, byte[]> entries);

  /**
   * Logs a plugin's small metadata record (owner: 1 to 255 bytes of UTF-8; payload: at most
   * {@link #MAX_METADATA_BYTES}). The newest payload of each owner is kept across snapshots and
   * handed back by {@link #recover}.
   */
  long appendMetadata(String owner, byte[] payload);

  /** The largest metadata payload, in bytes. */
  int MAX_METADATA_BYTES = 1 << 20;

  /**
   * Logs {@code value} again for {@code key} as an ordinary put record (a new sequence number;
   * recovery replays it like any put) and returns the location of that record. Like the
   * {@code append…} methods it rarely does I/O and is called under the key's write lock, so that
   * the copy is ordered after every earlier write of the key and before every later one. It
   * needs no {@link #awaitDurable}: it copies a value that is durable already; the journal
   * writes it to the operating system soon (a background write), and at once if it is read.
   */
  long spill(String key, byte[] value);

  /**
   * Reads back the value of {@code key} stored at {@code location} (from {@link #spill}, a
   * {@link RecoveryHandler#put recovered put} or {@link Host#relocated}), checking the record's
   * checksum. Does blocking I/O; call it without holding locks that writers need.
   *
   * @param length the value's length, as recorded with the location
   * @return the value, or null if the file the location points into is gone (compaction moved
   *     the value: look the entry up again)
   * @throws IllegalStateException if the record there is damaged or is not a value of
   *     {@code key} of this length; the message names the file and offset
   * @throws java.io.UncheckedIOException if the file cannot be read
   */
  byte[] read(String key, long location, int length);

  /**
   * {@link #read} for several values at once: the journal may order the reads by location and
   * read neighbouring records together. Element {@code i} of the result is what {@code
   * read(keys[i], locations[i], lengths[i])} would return (null if its file is gone).
   */
  default byte[][] readAll(String[] keys, long[] locations, int[] lengths) {
    if (locations.length != keys.length || lengths.length != keys.length) {
      throw new IllegalArgumentException("readAll needs as many locations and lengths as keys");
    }
    byte[][] values = new byte[keys.length][];
    for (int i = 0; i < keys.length; i++) {
      values[i] = read(keys[i], locations[i], lengths[i]);
    }
    return values;
  }

  /**
   * Blocks until the record with this sequence number is durable as the sync policy says: for
   * {@code ALWAYS} fsynced, otherwise written to the operating system. Never call it while
   * holding a lock that other writers need.
   *
   * @throws java.io.UncheckedIOException if the write or the sync failed
   */
  void awaitDurable(long sequence);

  /**
   * Writes a snapshot now and deletes the log segments it covers. Writers keep going; they are
   * held only for the moment it takes {@link Host#quiesced} to run. Blocks until done.
   */
  void snapshot();

  /** Figures from the journal's counters. */
  Map<String, Number> metrics();

  /** Syncs everything appended, stops the journal's threads, releases the directory. */
  @Override
  void close();

  /**
   * Receives the recovered state: one call at a time, in the log's order, but not necessarily
   * on the thread that called {@link #recover} (the journal may decode on one thread and
   * deliver on another); every call happens before {@code recover} returns.
   */
  interface RecoveryHandler {
    /**
     * A hint, before the first {@link #put}: about how many entries recovery will produce (a
     * journal may know it from a snapshot; later records can add or remove some), so that the
     * handler can size its maps once instead of growing them while it loads. It may be off,
     * and it may not come at all. By default, ignored.
     */
    default void expect(long entries) {}

    void put(String key, byte[] value);

    /**
     * A recovered put whose value {@link #read} can read back at {@code location}: a handler
     * that keeps cold values on disk may keep only the location. By default, {@link #put(String,
     * byte[])}.
     */
    default void put(String key, byte[] value, long location) {
      put(key, value);
    }

    void delete(String key);

    void metadata(String owner, byte[] payload);
  }

  /** The engine's side, which the journal needs for snapshots. */
  interface Host {

    /**
     * Runs {@code action} while no write is between its append and its map update, and returns
     * its result. The action is short (no I/O); writers wait for it.
     */
    <T> T quiesced(Supplier<T> action);

    /**
     * Visits the live entries, weakly consistent: every entry present throughout the call is
     * visited once, in the form it has when visited.
     */
    void forEachEntry(EntryVisitor visitor);

    /**
     * A snapshot has copied the value at {@code from} to {@code to}: if {@code key}'s entry
     * still points at {@code from}, it must point at {@code to} from now on (an atomic swap;
     * an entry that changed meanwhile stays as it is). Called only once the copy is readable.
     */
    void relocated(String key, long from, long to);
  }

  /** Receives the entries of {@link Host#forEachEntry}, in one of two forms. */
  interface EntryVisitor {
    /** An entry inside the horizon; the value is lent for the call: do not modify or keep it. */
    void inside(String key, byte[] value);

    /** An entry beyond the horizon: its value of {@code length} bytes is at {@code location}. */
    void beyond(String key, long location, int length);
  }
}
