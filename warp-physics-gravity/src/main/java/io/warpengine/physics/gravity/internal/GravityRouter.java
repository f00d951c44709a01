package io.warpengine.physics.gravity.internal;

import io.warpengine.spi.ShardRouter;

/**
 * The gravity router: a key goes where its centre of mass goes. A centre with a wormhole goes
 * to the wormhole's shard; any other centre to its home, the shard its hash picks with the same
 * Fibonacci mixing as the engine's hash router (so a key whose centre is the whole key lands
 * where the hash router would put it).
 *
 * <p>Hot path: {@link #route} finds the centre in place ({@link CentreRules#span}), hashes it,
 * and probes the current {@link WormholeTable} (one volatile read); it allocates nothing and
 * writes nothing. The table is swapped by {@link #publish}, which the plugin calls only inside
 * the engine's key mover, so a route changes exactly when the keys move.
 */
final class GravityRouter implements ShardRouter {

  private static final int GOLDEN = 0x9E3779B9;

  private final CentreRules rules;
  private final long shardCount;
  private volatile WormholeTable table = WormholeTable.EMPTY;

  GravityRouter(CentreRules rules, int shardCount) {
    this.rules = rules;
    this.shardCount = shardCount;
  }

  @Override
  public int route(String key) {
    // The common case, a tag, in one pass that finds its end and hashes it; else the rules.
    int open = key.indexOf('{');
    if (open >= 0) {
      int hash = 0;
      for (int i = open + 1, n = key.length(); i < n; i++) {
        char c = key.charAt(i);
        if (c == '}') {
          if (i > open + 1) {
            return routeSpan(key, open + 1, i, hash);
          }
          break;
        }
        hash = 31 * hash + c;
      }
    }
    long span = rules.span(key);
    int start = (int) (span >>> 32);
    int end = (int) span;
    return routeSpan(key, start, end, CentreRules.hash(key, start, end));
  }

  private int routeSpan(String key, int start, int end, int hash) {
    int shard = table.lookup(key, start, end, hash);
    return shard >= 0 ? shard : home(hash);
  }

  /** Where {@code centre} is routed now. */
  int routeCentre(String centre) {
    int hash = centre.hashCode();
    int shard = table.lookup(centre, 0, centre.length(), hash);
    return shard >= 0 ? shard : home(hash);
  }

  /** The shard a centre with this hash goes to without a wormhole. */
  int home(int hash) {
    long mixed = (hash * GOLDEN) & 0xFFFF_FFFFL;
    return (int) ((mixed * shardCount) >>> 32);
  }

  int homeOf(String centre) {
    return home(centre.hashCode());
  }

  void publish(WormholeTable next) {
    table = next;
  }

  int shardCount() {
    return (int) shardCount;
  }

  CentreRules rules() {
    return rules;
  }
}
