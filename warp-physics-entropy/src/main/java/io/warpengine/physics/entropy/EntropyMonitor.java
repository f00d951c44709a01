package io.warpengine.physics.entropy;

import java.util.List;
import java.util.Optional;

/**
 * The typed face of the {@code entropy} plugin: {@code engine.plugin(EntropyMonitor.class)}.
 *
 * <p>Settings: {@code entropy.interval} (sampling period, default {@code PT5S}),
 * {@code entropy.history} (samples kept, default 120), {@code entropy.trendWindow} (samples in
 * the trend, default 10), {@code entropy.threshold} (the demon acts below it, default 0.85),
 * {@code entropy.demonSamples} (consecutive low samples before it acts, default 2) and
 * {@code entropy.cooldown} (samples between two of its actions, default 6).
 */
public interface EntropyMonitor {

  /** Takes a sample now (as the schedule does), runs the demon on it, and returns it. */
  EntropySample sampleNow();

  /** The newest sample, if any was taken. */
  Optional<EntropySample> latest();

  /** The kept samples, oldest first. */
  List<EntropySample> history();

  /** What the demon did so far. */
  DemonReport demon();

  /** The newest sample, the demon's record and the history size, as one JSON object. */
  String reportJson();

  /**
   * Maxwell's demon's record.
   *
   * @param triggers           times load entropy stayed low long enough for it to act
   * @param rebalances         times it asked a rebalancer (a trigger with no rebalancer only reports)
   * @param lastBefore         load entropy when it last asked, or NaN
   * @param lastAfter          load entropy at the first sample after it last asked, or NaN
   * @param lastMoved          what the rebalancer reported moving, or -1
   * @param rebalancerPresent  whether a plugin offers a rebalancer
   */
  record DemonReport(long triggers, long rebalances, double lastBefore, double lastAfter,
                     long lastMoved, boolean rebalancerPresent) {}
}
