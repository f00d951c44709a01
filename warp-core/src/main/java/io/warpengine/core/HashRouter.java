package io.warpengine.core;

import io.warpengine.spi.ShardRouter;

/**
 * The default router: a key's shard comes from its hash alone. It mixes {@code hashCode()}
 * with a Fibonacci multiplier and maps the top bits onto the shard range, so the shard index
 * does not reuse the low bits that each shard's {@code ConcurrentHashMap} indexes its bins by.
 */
final class HashRouter implements ShardRouter {

  private static final int GOLDEN = 0x9E3779B9;
  private final long shardCount;

  HashRouter(int shardCount) {
    this.shardCount = shardCount;
  }

  @Override
  public int route(String key) {
    long mixed = (key.hashCode() * GOLDEN) & 0xFFFF_FFFFL;
    return (int) ((mixed * shardCount) >>> 32);
  }
}
