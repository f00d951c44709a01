package io.warpengine.example.halflife;

import java.time.Duration;
import java.util.Optional;

/**
 * The half-life plugin's API: {@code engine.plugin(HalfLife.class)}. Keys that start with one of
 * the prefixes of {@code half-life.prefixes} expire {@code half-life.ttl} after their last write.
 */
public interface HalfLife {

  /** How long a tracked key lives after its last write. */
  Duration ttl();

  /**
   * How long until {@code key} expires (zero or negative: it is due and the next sweep deletes
   * it); empty if the key is not tracked (its name has none of the prefixes, or it was not
   * written since it last expired or was found deleted).
   */
  Optional<Duration> remaining(String key);

  /** Runs one sweep now, on the caller's thread; returns how many keys it deleted. */
  int sweep();
}
