/**
 * The entry point of the minimal runtime image: api, core and wal, nothing else of Warp. Reads
 * only the api; the engine and the journal are found with {@code ServiceLoader}.
 */
module io.warpengine.minimal {
  requires io.warpengine.api;
}
