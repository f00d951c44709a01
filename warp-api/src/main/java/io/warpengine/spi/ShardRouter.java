package io.warpengine.spi;

/**
 * Decides which shard holds a key. The engine's default hashes the key; the gravity module
 * offers one that co-locates related keys. Offered through {@link PhysicsPlugin#capability};
 * at most one loaded plugin may offer a router.
 */
public interface ShardRouter {

  /**
   * The shard for {@code key}, in {@code [0, shardCount)} where {@code shardCount} is
   * {@link ShardView#shardCount()}. Hot path: called on every operation. Must be deterministic
   * for a key until the router itself moves it, which it may do only inside
   * {@link KeyMover#move} (the engine offers the mover to the routing plugin), so that the keys
   * move with the route.
   */
  int route(String key);
}
