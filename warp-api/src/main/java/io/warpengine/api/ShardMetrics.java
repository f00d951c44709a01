package io.warpengine.api;

/**
 * One shard's counters at the moment of a {@link MetricsSnapshot}. Each figure is read from a
 * live counter; counters of different shards are read one after another, not atomically.
 *
 * @param shard   the shard's index
 * @param entries keys stored
 * @param bytes   bytes of stored values, wherever they live (keys not included); the part on
 *                the heap is {@code bytes - beyondBytes}
 * @param reads   {@code get}-like reads, hits and misses
 * @param misses  reads that found no value
 * @param writes  successful writes (put, putIfAbsent that stored, replace that replaced, each
 *                key of a putAll)
 * @param deletes   deletes that removed a key
 * @param evictions entries a residency policy pushed out of the engine (without a journal)
 * @param beyondEntries entries whose value is beyond the event horizon: on disk only (with a
 *                      journal)
 * @param beyondBytes   bytes of those values
 * @param diskLoads     reads that had to read a value back from disk
 */
public record ShardMetrics(int shard, long entries, long bytes, long reads, long misses,
                           long writes, long deletes, long evictions, long beyondEntries,
                           long beyondBytes, long diskLoads) {}
