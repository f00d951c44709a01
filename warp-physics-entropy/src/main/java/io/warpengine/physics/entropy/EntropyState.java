package io.warpengine.physics.entropy;

/**
 * What the load entropy and its trend say, from calm to alarming. Thresholds, for load entropy
 * {@code H} and the trend {@code s} (change of {@code H} per sample over the trend window):
 * <ul>
 *   <li>{@link #CRITICAL}: {@code H < 0.5} — most load lands on few shards;</li>
 *   <li>{@link #CHAOTIC}: {@code |s| ≥ 0.05} — the distribution is changing fast;</li>
 *   <li>{@link #FLUCTUATING}: {@code |s| ≥ 0.01}, or {@code H} below the demon's threshold;</li>
 *   <li>{@link #STABLE}: otherwise.</li>
 * </ul>
 */
public enum EntropyState {
  STABLE,
  FLUCTUATING,
  CHAOTIC,
  CRITICAL;

  static final double CRITICAL_BELOW = 0.5;
  static final double CHAOTIC_SLOPE = 0.05;
  static final double FLUCTUATING_SLOPE = 0.01;

  /** The state for load entropy {@code h}, trend {@code slope} and the demon's threshold. */
  public static EntropyState of(double h, double slope, double threshold) {
    if (h < CRITICAL_BELOW) {
      return CRITICAL;
    }
    if (Math.abs(slope) >= CHAOTIC_SLOPE) {
      return CHAOTIC;
    }
    if (Math.abs(slope) >= FLUCTUATING_SLOPE || h < threshold) {
      return FLUCTUATING;
    }
    return STABLE;
  }
}
