package io.warpengine.spi;

/**
 * Evens out load across shards on request. The gravity module offers one; the entropy monitor
 * asks for it through {@link PluginContext#capability} without depending on gravity.
 * Thread-safe; runs on the caller's (background) thread and may take a while.
 */
public interface Rebalancer {

  /**
   * Rebalances now.
   *
   * @param reason why, for the log and the report (for example "entropy 0.71 < 0.85")
   */
  RebalanceReport rebalance(String reason);

  /**
   * What a rebalance did.
   *
   * @param moved           how many units (keys or centres of mass) changed shard
   * @param imbalanceBefore the rebalancer's imbalance measure before (0 = even)
   * @param imbalanceAfter  the same measure after
   */
  record RebalanceReport(long moved, double imbalanceBefore, double imbalanceAfter) {}
}
