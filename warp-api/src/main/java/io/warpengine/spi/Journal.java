package io.warpengine.spi;

import java.util.Map;

/**
 * The durable log behind an engine. Append methods return according to the options'
 * {@link io.warpengine.api.SyncPolicy}; all methods are thread-safe. Sequence numbers come from
 * the engine's one atomic counter and are strictly increasing across restarts.
 */
public interface Journal extends AutoCloseable {

  /**
   * Replays the stored state, oldest first, into {@code handler}. Called once, before any
   * append.
   *
   * @return the highest sequence number recovered, 0 for a new journal
   */
  long recover(RecoveryHandler handler);

  /** Logs a put; returns the record's location, which {@link #read} accepts. */
  long appendPut(long sequence, String key, byte[] value);

  /** Logs a delete. */
  void appendDelete(long sequence, String key);

  /** Logs a batch as one record: after a crash all of it is there or none. */
  void appendBatch(long sequence, Map<String, byte[]> entries);

  /** Logs a plugin's small metadata record, handed back to {@code owner} at recovery. */
  void appendMetadata(String owner, byte[] payload);

  /** The value of the put record at {@code location}. */
  byte[] read(long location);

  /** Figures from the journal's counters. */
  Map<String, Number> metrics();

  @Override
  void close();

  /** Receives the recovered state. */
  interface RecoveryHandler {
    void put(String key, byte[] value, long location);

    void delete(String key);

    void metadata(String owner, byte[] payload);
  }
}
