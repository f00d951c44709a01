/**
 * Durability for Warp: a write-ahead log with group commit, recovery, snapshots and compaction.
 * Put it on the module path and give the engine a data directory; see {@link io.warpengine.wal}
 * for the file format and the durability contract. Exports nothing.
 */
module io.warpengine.wal {
  requires io.warpengine.api;

  provides io.warpengine.spi.JournalFactory with io.warpengine.wal.WalJournalFactory;
}
