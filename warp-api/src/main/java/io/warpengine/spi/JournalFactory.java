package io.warpengine.spi;

/**
 * Opens the journal that makes an engine durable; {@code warp-wal} provides it. The engine uses
 * it when present and the options name a data directory, and stays in memory otherwise.
 */
public interface JournalFactory {

  /**
   * Opens (creating if needed) the journal in {@code config.dataDirectory()}, taking the
   * directory's lock. The caller then calls {@link Journal#recover} once.
   *
   * @param host the engine's live state, for snapshots; not used before recovery is over
   * @throws java.io.UncheckedIOException  if the directory cannot be used
   * @throws IllegalStateException if another open engine holds the directory
   */
  Journal open(EngineConfig config, Journal.Host host);
}
