package io.warpengine.physics.quantum;

import java.util.List;

/**
 * The typed face of the {@code quantum} plugin: {@code engine.plugin(Entanglement.class)}.
 *
 * <p>A key's partners come from three sources, merged (the strongest link to each partner
 * wins): explicit links made with {@link #entangle}; rule templates (settings
 * {@code quantum.rules} and {@code quantum.preset}); and links learned from the access stream,
 * between keys the same thread reads within a short window. All methods are thread-safe.
 */
public interface Entanglement {

  /** The default most partners an observation reads. */
  int DEFAULT_MAX_PARTNERS = 10;
  /** The default weakest link an observation follows. */
  double DEFAULT_MIN_STRENGTH = 0.1;

  /**
   * Links {@code a} and {@code b} both ways with {@code strength} in (0, 1], replacing an earlier
   * explicit link between them.
   *
   * @throws IllegalArgumentException for a bad key, {@code a.equals(b)} or a strength outside (0, 1]
   */
  void entangle(String a, String b, double strength);

  /** Removes the explicit link between {@code a} and {@code b}; returns whether there was one. */
  boolean disentangle(String a, String b);

  /** Every partner of {@code key} from every source, strongest first. */
  List<Partner> partners(String key);

  /**
   * Observes {@code key}: its value and the values of up to {@value #DEFAULT_MAX_PARTNERS} of
   * its partners with strength at least {@value #DEFAULT_MIN_STRENGTH} that exist, strongest
   * first, in one call.
   */
  default Observation quantumGet(String key) {
    return quantumGet(key, DEFAULT_MAX_PARTNERS, DEFAULT_MIN_STRENGTH);
  }

  /** Observes {@code key} with at most {@code maxPartners} partners of at least {@code minStrength}. */
  Observation quantumGet(String key, int maxPartners, double minStrength);

  /**
   * Applies every recorded access and deletion to the learned links now. The plugin does this
   * in the background; call it for an exact state at a point in time (tests, benchmarks).
   */
  void learnNow();
}
