package io.warpengine.api;

import java.util.Objects;

/**
 * The hints that travel with a write: its {@link Priority} and expected {@link AccessPattern}.
 * Immutable; {@link #DEFAULT} is {@code NORMAL} and {@code UNSPECIFIED}.
 */
public record PutOptions(Priority priority, AccessPattern accessPattern) {

  public static final PutOptions DEFAULT = new PutOptions(Priority.NORMAL, AccessPattern.UNSPECIFIED);

  public PutOptions {
    Objects.requireNonNull(priority, "priority");
    Objects.requireNonNull(accessPattern, "accessPattern");
  }

  public static PutOptions of(Priority priority) {
    return new PutOptions(priority, AccessPattern.UNSPECIFIED);
  }

  public PutOptions withAccessPattern(AccessPattern pattern) {
    return new PutOptions(priority, pattern);
  }
}
