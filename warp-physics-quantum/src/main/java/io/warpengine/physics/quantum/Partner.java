package io.warpengine.physics.quantum;

import java.util.Objects;

/**
 * A key linked to another, how strongly, and through which source.
 *
 * @param strength in (0, 1]
 */
public record Partner(String key, double strength, LinkSource source) {
  public Partner {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(source, "source");
    if (!(strength > 0 && strength <= 1)) {
      throw new IllegalArgumentException("strength must be in (0, 1], was " + strength);
    }
  }
}
