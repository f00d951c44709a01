/**
 * The contracts that engine, journal and physics modules implement.
 *
 * <p>Three are looked up with {@link java.util.ServiceLoader}: {@link EngineProvider} (the
 * engine, from {@code warp-core}), {@link JournalFactory} (durability, from {@code warp-wal}) and
 * {@link PhysicsPluginProvider} (every physics module, and your own). A plugin offers further
 * roles — {@link ShardRouter}, {@link Rebalancer}, {@link ResidencyPolicy},
 * {@link RelationSource}, or a typed user API — through {@link PhysicsPlugin#capability}, so
 * plugins cooperate through these interfaces without depending on each other.
 *
 * <h2>Cost rules</h2>
 * Methods marked <em>hot path</em> run on the caller's thread inside every put, get or delete.
 * They must be O(1), must not block, lock, do I/O or allocate in the steady state, and must not
 * call back into the engine. Anything heavier (learning, rebalancing, monitoring, fsync) belongs
 * on a background thread, for example the {@link PluginContext#scheduler()}.
 */
package io.warpengine.spi;
