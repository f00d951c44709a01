package io.warpengine.spi;

/**
 * Opens the journal that makes an engine durable; {@code warp-wal} provides it. The engine uses
 * it when present and the options name a data directory, and stays in memory otherwise.
 */
public interface JournalFactory {

  /** Opens (creating if needed) the journal in {@code config.dataDirectory()}. */
  Journal open(EngineConfig config);
}
