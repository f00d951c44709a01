package io.warpengine.api;

/**
 * One shard's counters at the moment of a {@link MetricsSnapshot}. Each figure is read from a
 * live counter; counters of different shards are read one after another, not atomically.
 *
 * @param shard   the shard's index
 * @param entries keys stored
 * @param bytes   bytes of stored values (keys not included)
 * @param reads   {@code get}-like reads, hits and misses
 * @param misses  reads that found no value
 * @param writes  successful writes (put, putIfAbsent that stored, replace that replaced, each
 *                key of a putAll)
 * @param deletes   deletes that removed a key
 * @param evictions entries a residency policy pushed out of the engine (without a journal)
 */
public record ShardMetrics(int shard, long entries, long bytes, long reads, long misses,
                           long writes, long deletes, long evictions) {}
