package io.warpengine.api;

import java.time.Duration;
import java.util.Objects;

/**
 * When a durable engine's writes reach the disk (used when the {@code warp-wal} module is present
 * and a data directory is set; an in-memory engine ignores it).
 *
 * <table>
 *   <caption>The durability contract</caption>
 *   <tr><th>Policy</th><th>A put returns when</th><th>Lost on process crash</th><th>Lost on power loss</th></tr>
 *   <tr><td>{@link #ALWAYS}</td><td>its record is fsynced (concurrent writers share one fsync)</td><td>nothing</td><td>nothing</td></tr>
 *   <tr><td>{@link #periodic(Duration)}</td><td>its record reached the OS</td><td>nothing</td><td>at most the last interval</td></tr>
 *   <tr><td>{@link #NONE}</td><td>its record reached the OS</td><td>nothing</td><td>what the OS had not written</td></tr>
 * </table>
 */
public sealed interface SyncPolicy {

  SyncPolicy ALWAYS = new Always();
  SyncPolicy NONE = new None();
  /** The default: {@code periodic(100 ms)}. */
  SyncPolicy DEFAULT = periodic(Duration.ofMillis(100));

  static SyncPolicy periodic(Duration interval) {
    return new Periodic(interval);
  }

  record Always() implements SyncPolicy {}

  record None() implements SyncPolicy {}

  record Periodic(Duration interval) implements SyncPolicy {
    public Periodic {
      Objects.requireNonNull(interval, "interval");
      if (interval.isNegative() || interval.isZero()) {
        throw new IllegalArgumentException("periodic sync interval must be positive, was " + interval);
      }
    }
  }
}
