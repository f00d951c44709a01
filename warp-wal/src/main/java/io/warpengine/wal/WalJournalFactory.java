package io.warpengine.wal;

import io.warpengine.spi.EngineConfig;
import io.warpengine.spi.Journal;
import io.warpengine.spi.JournalFactory;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/** The {@link JournalFactory} this module provides: a {@link WriteAheadLog} per data directory. */
public final class WalJournalFactory implements JournalFactory {

  /** The property that lets an open keep the records before damage and drop the rest. */
  static final String SALVAGE = WalSettings.PREFIX + ".salvage";

  @Override
  public Journal open(EngineConfig options, Journal.Host host) {
    return open(options, host, FileChannel::open);
  }

  static WriteAheadLog open(EngineConfig options, Journal.Host host,
                            DataDirectory.ChannelOpener opener) {
    Path path = options.dataDirectory().orElseThrow(() -> new IllegalArgumentException(
        "a journal needs a data directory (WarpOptions.dataDirectory)"));
    WalSettings settings = WalSettings.from(options);
    return new WriteAheadLog(DataDirectory.lock(path, opener), host, settings);
  }
}
