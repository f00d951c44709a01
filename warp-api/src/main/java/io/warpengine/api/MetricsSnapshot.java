package io.warpengine.api;

import java.util.List;
import java.util.Map;

/**
 * A point-in-time reading of the engine's counters: totals, one {@link ShardMetrics} per shard,
 * and each loaded plugin's own figures keyed by plugin name.
 *
 * @param shardMetrics  one entry per shard, in shard order
 * @param pluginMetrics plugin name to that plugin's metric name to value
 */
public record MetricsSnapshot(
    List<ShardMetrics> shardMetrics, Map<String, Map<String, Number>> pluginMetrics) {

  public MetricsSnapshot {
    shardMetrics = List.copyOf(shardMetrics);
    pluginMetrics = Map.copyOf(pluginMetrics);
  }

  public long entries() {
    return shardMetrics.stream().mapToLong(ShardMetrics::entries).sum();
  }

  public long bytes() {
    return shardMetrics.stream().mapToLong(ShardMetrics::bytes).sum();
  }

  public long reads() {
    return shardMetrics.stream().mapToLong(ShardMetrics::reads).sum();
  }

  public long misses() {
    return shardMetrics.stream().mapToLong(ShardMetrics::misses).sum();
  }

  public long writes() {
    return shardMetrics.stream().mapToLong(ShardMetrics::writes).sum();
  }

  public long deletes() {
    return shardMetrics.stream().mapToLong(ShardMetrics::deletes).sum();
  }

  public long evictions() {
    return shardMetrics.stream().mapToLong(ShardMetrics::evictions).sum();
  }
}
