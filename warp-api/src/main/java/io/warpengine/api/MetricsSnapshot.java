package io.warpengine.api;

import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

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
    return sum(ShardMetrics::entries);
  }

  public long bytes() {
    return sum(ShardMetrics::bytes);
  }

  public long reads() {
    return sum(ShardMetrics::reads);
  }

  public long misses() {
    return sum(ShardMetrics::misses);
  }

  public long writes() {
    return sum(ShardMetrics::writes);
  }

  public long deletes() {
    return sum(ShardMetrics::deletes);
  }

  public long evictions() {
    return sum(ShardMetrics::evictions);
  }

  public long beyondEntries() {
    return sum(ShardMetrics::beyondEntries);
  }

  public long beyondBytes() {
    return sum(ShardMetrics::beyondBytes);
  }

  public long diskLoads() {
    return sum(ShardMetrics::diskLoads);
  }

  private long sum(ToLongFunction<ShardMetrics> figure) {
    return shardMetrics.stream().mapToLong(figure).sum();
  }
}
