package io.warpengine.spi;

import java.util.List;
import java.util.Objects;

/**
 * Knows which keys are related to a key (explicit links, rules, or learned co-access). The
 * quantum module offers one. Not hot path: called by multi-key reads and prefetch.
 */
public interface RelationSource {

  /** At most {@code max} keys related to {@code key} with strength at least {@code minStrength}, strongest first. */
  List<Relation> related(String key, int max, double minStrength);

  /**
   * A related key and how strong the relation is.
   *
   * @param strength in {@code (0, 1]}
   */
  record Relation(String key, double strength) {
    public Relation {
      Objects.requireNonNull(key, "key");
      if (!(strength > 0 && strength <= 1)) {
        throw new IllegalArgumentException("strength must be in (0, 1], was " + strength);
      }
    }
  }
}
