package io.warpengine.physics.quantum;

/** Where a link between two keys comes from. */
public enum LinkSource {
  /** Made by {@link Entanglement#entangle}; persists with {@code warp-wal}. */
  EXPLICIT,
  /** Implied by a rule template, such as {@code user:{id}} and {@code profile:{id}}. */
  RULE,
  /** Learned from reads of the same thread close together; decays without use. */
  LEARNED
}
