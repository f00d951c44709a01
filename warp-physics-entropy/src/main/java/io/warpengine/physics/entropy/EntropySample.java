package io.warpengine.physics.entropy;

/**
 * One sample: the normalised entropy of each distribution across shards, at one moment.
 *
 * @param epochMillis when it was taken
 * @param entries     of the number of keys per shard
 * @param bytes       of the value bytes per shard
 * @param reads       of the reads per shard during the last window
 * @param writes      of the writes per shard during the last window
 * @param load        of reads plus writes per shard during the last window (the demon's input)
 * @param keyAccess   of the accesses per key during the last window, over the sampled keys
 * @param sampledKeys how many distinct keys {@code keyAccess} was computed over
 * @param trend       least-squares slope of {@code load} per sample over the trend window
 * @param state       what {@code load} and {@code trend} say
 */
public record EntropySample(long epochMillis, double entries, double bytes, double reads,
                            double writes, double load, double keyAccess, int sampledKeys,
                            double trend, EntropyState state) {}
