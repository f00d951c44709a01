package io.warpengine.spi;

/**
 * Decides which values stay on the heap (inside the event horizon). The cache module offers
 * one. The policy learns from the {@link PhysicsPlugin} hooks and pushes values out through the
 * {@link EventHorizon} the engine binds to it. At most one loaded plugin may offer a policy.
 */
public interface ResidencyPolicy {

  /** Called once, before the plugin starts: the engine's side of the boundary. */
  void bind(EventHorizon horizon);

  /**
   * A read brought {@code key}'s value of {@code valueBytes} back inside the horizon from disk:
   * it weighs on the budget again. Called on the reader's thread after the swap, with none of the
   * engine's locks held, so it may release values (the cache drains its write buffer here when
   * the buffer is full, as it does for a put); it must be cheap otherwise.
   */
  void loaded(String key, int shard, int valueBytes);

  /** The engine's side of the memory-residency boundary. Thread-safe. */
  interface EventHorizon {

    /**
     * Moves {@code key}'s value beyond the horizon: with a journal the value leaves the heap and
     * is read back from disk when needed (a later read may bring it back inside and then calls
     * {@link ResidencyPolicy#loaded}); without one the entry is evicted.
     *
     * @return whether a value left the heap (false if the key was absent or already beyond,
     *     or the journal could not take the copy)
     */
    boolean release(String key);

    /** Whether {@link #release} keeps values on disk (true) or evicts them (false). */
    boolean durable();
  }
}
