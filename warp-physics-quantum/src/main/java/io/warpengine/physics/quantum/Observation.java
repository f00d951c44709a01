package io.warpengine.physics.quantum;

import java.util.Map;

/**
 * What one {@link Entanglement#quantumGet} found.
 *
 * @param key      the key observed
 * @param value    its value, or null when it has none
 * @param partners the values of the partners that exist, strongest link first (an ordered map)
 * @param asked    how many partners were looked for
 */
public record Observation(String key, byte[] value, Map<String, byte[]> partners, int asked) {

  /** Partners found over partners asked for; 1 when none were asked for. */
  public double efficiency() {
    return asked == 0 ? 1.0 : (double) partners.size() / asked;
  }
}
