package io.warpengine.example.halflife.internal;

import java.util.concurrent.atomic.AtomicLong;

/** A {@link Ticker} that moves only when told to; both clocks move together. */
final class ManualTicker implements Ticker {

  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  private final AtomicLong wallMillis;

  ManualTicker(long wallMillis) {
    this.wallMillis = new AtomicLong(wallMillis);
  }

  void advanceMillis(long millis) {
    nanos.addAndGet(millis * 1_000_000);
    wallMillis.addAndGet(millis);
  }

  @Override
  public long nanos() {
    return nanos.get();
  }

  @Override
  public long wallMillis() {
    return wallMillis.get();
  }
}
