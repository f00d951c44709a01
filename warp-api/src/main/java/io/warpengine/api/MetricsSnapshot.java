package io.warpengine.api;

import java.util.Collections;
import java.util.LinkedHashMap;
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

  /** Copies both; the plugins keep the order they were given in (the engine's start order). */
  public MetricsSnapshot {
    shardMetrics = List.copyOf(shardMetrics);
    Map<String, Map<String, Number>> ordered = new LinkedHashMap<>();
    pluginMetrics.forEach((plugin, figures) -> ordered.put(plugin, Map.copyOf(figures)));
    pluginMetrics = Collections.unmodifiableMap(ordered);
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
