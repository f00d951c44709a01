package io.warpengine.physics.gravity;

import io.warpengine.spi.Rebalancer;
import java.util.Map;

/**
 * The gravity plugin's API, from {@code engine.plugin(Gravity.class)}: centres of mass, the
 * shards' mass, wormholes, and rebalancing (also offered to other plugins as the
 * {@link Rebalancer} SPI). Thread-safe.
 */
public interface Gravity extends Rebalancer {

  /** The centre of mass of {@code key}: its {@code {tag}}, a rule's id, or the key itself. */
  String centreOf(String key);

  /** The shard {@code centre}'s keys are routed to now. */
  int shardOfCentre(String centre);

  /**
   * Moves every key of {@code centre} to {@code shard} online, opening (or moving) its wormhole,
   * or closing it if {@code shard} is the centre's home. In a durable engine the wormholes are
   * saved before it returns.
   *
   * @return how many keys moved (0 if the centre is there already)
   * @throws IllegalArgumentException if the centre is null or empty or the shard out of range
   * @throws IllegalStateException    if a new wormhole would take the saved table beyond
   *                                  {@code gravity.maxWormholeBytes}; nothing changes
   */
  long moveCentre(String centre, int shard);

  /** The open wormholes: centre to shard. */
  Map<String, Integer> wormholes();

  /** Each shard's decayed mass, from the sampled accesses. */
  double[] shardMass();
}
