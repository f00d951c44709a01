package io.warpengine.example.halflife.internal;

/** The plugin's two clocks, replaceable in tests. */
interface Ticker {

  /** A monotonic clock for deadlines, as {@link System#nanoTime()}. */
  long nanos();

  /** The wall clock, for the lease that outlives the process, as {@link System#currentTimeMillis()}. */
  long wallMillis();

  Ticker SYSTEM = new Ticker() {
    @Override
    public long nanos() {
      return System.nanoTime();
    }

    @Override
    public long wallMillis() {
      return System.currentTimeMillis();
    }
  };
}
