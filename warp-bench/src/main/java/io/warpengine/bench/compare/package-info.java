/**
 * {@code ./warp bench}: Warp in four configurations side by side with the stores a user would
 * pick instead (ConcurrentHashMap, Caffeine, H2 MVStore, RocksDB), with a terminal table, a JSON
 * file and an HTML report. It runs on the class path: RocksDB, H2 and HdrHistogram are not named
 * modules and are not in the jlink image.
 */
package io.warpengine.bench.compare;
