package io.warpengine.wal;

import io.warpengine.api.SyncPolicy;
import io.warpengine.spi.EngineConfig;
import io.warpengine.spi.PluginConfig;
import java.time.Duration;

/**
 * The journal's settings, from the engine options: the sync policy, and the properties
 * {@code wal.segmentBytes} (default 64 MiB, 4 KiB to 1 GiB), {@code wal.snapshotInterval}
 * (default {@code PT10M}: a snapshot at least this often while there are writes; growth of the
 * log triggers one sooner) and {@code wal.salvage} (default false: damage fails the open).
 *
 * @param periodicSync the background sync interval, null unless the policy is periodic
 */
record WalSettings(boolean syncEveryWrite, Duration periodicSync, long segmentBytes,
                   Duration snapshotInterval, boolean salvage) {

  static final String PREFIX = "wal";
  static final long MIN_SEGMENT = 4 << 10;
  static final long MAX_SEGMENT = 1 << 30;

  static WalSettings from(EngineConfig options) {
    PluginConfig c = PluginConfig.of(PREFIX, options.properties());
    long segment = c.longValue("segmentBytes", 64 << 20);
    if (segment < MIN_SEGMENT || segment > MAX_SEGMENT) {
      throw new IllegalArgumentException("property wal.segmentBytes must be from " + MIN_SEGMENT
          + " to " + MAX_SEGMENT + ", was " + segment);
    }
    Duration snapshotInterval = c.duration("snapshotInterval", Duration.ofMinutes(10));
    if (snapshotInterval.toMillis() < 1) {
      throw new IllegalArgumentException("property wal.snapshotInterval must be at least 1 ms,"
          + " was " + snapshotInterval);
    }
    SyncPolicy policy = options.syncPolicy();
    return new WalSettings(policy instanceof SyncPolicy.Always,
        policy instanceof SyncPolicy.Periodic p ? p.interval() : null,
        segment, snapshotInterval, c.booleanValue("salvage", false));
  }
}
