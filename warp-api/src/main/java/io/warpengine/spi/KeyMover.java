package io.warpengine.spi;

import java.util.function.Predicate;

/**
 * The engine's side of a router that moves keys between shards online (the gravity module's
 * wormholes). The engine offers it, through {@link PluginContext#keyMover()}, only to the plugin
 * whose {@link ShardRouter} it uses.
 *
 * <h2>What a move guarantees</h2>
 * {@link #move} runs while no write is in progress on any key and no read can complete against
 * a half-moved state: it copies every key of {@code from} that {@code members} accepts, runs
 * {@code switchRoute} (the router's own change, after which {@link ShardRouter#route} sends those
 * keys to {@code to}) and puts each key in the shard its route now names, removing it from
 * {@code from}: whatever the router did, every key stays in the shard it routes to. Readers
 * that overlap a move retry, writers wait for it. So no write is lost, no read misses an
 * existing key, and after the move no key is in two shards. A move is
 * not a journal record: the journal is keyed by key, not by shard, so the router alone must make
 * a restart route the same way (for example by saving its overrides as plugin metadata; the
 * engine re-homes every recovered key to its route once the plugins have started).
 *
 * <p>Not hot path: a move holds every writer for the time it takes to scan {@code from}'s keys.
 * Thread-safe; moves run one at a time.
 */
public interface KeyMover {

  /**
   * Moves the keys of {@code from} that {@code members} accepts to {@code to}, switching their
   * route with {@code switchRoute} in the same atomic step.
   *
   * @param members     which keys move; called under the engine's locks, so it must be quick
   *                    and must not call the engine
   * @param switchRoute the router's change; called once, under the same locks
   * @return how many keys moved
   * @throws IllegalArgumentException if a shard index is out of range or {@code from == to};
   *                                  nothing changes
   * @throws IllegalStateException    if a key to move is in {@code to} already (a key in two
   *                                  shards: the route changed outside a move); nothing changes
   */
  long move(Predicate<String> members, int from, int to, Runnable switchRoute);
}
