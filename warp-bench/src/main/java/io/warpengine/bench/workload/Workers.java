package io.warpengine.bench.workload;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The threads a benchmark runs its callers or writers on. A thread that throws just ends, and
 * joining it returns as if it had finished its work: so the first failure is kept here and
 * {@link #join} throws it, and a run whose workers failed fails instead of printing figures.
 */
public final class Workers {

  /** One worker's whole work. */
  @FunctionalInterface
  public interface Work {
    void run() throws Exception;
  }

  private final String what;
  private final List<Thread> threads = new ArrayList<>();
  private final AtomicReference<Throwable> firstFailure = new AtomicReference<>();

  /** @param what the workers as a failure names them, e.g. "the recovery writers" */
  public Workers(String what) {
    this.what = what;
  }

  /** Starts {@code work} on a new platform thread named {@code name}. */
  public void start(String name, Work work) {
    threads.add(Thread.ofPlatform().name(name).start(() -> {
      try {
        work.run();
      } catch (Throwable e) {
        firstFailure.compareAndSet(null, e);
      }
    }));
  }

  /**
   * Waits until every worker has ended; then, if any failed, throws an
   * {@link IllegalStateException} naming the workers, with the first failure as its cause.
   */
  public void join() throws InterruptedException {
    for (Thread t : threads) {
      t.join();
    }
    Throwable failure = firstFailure.get();
    if (failure != null) {
      throw new IllegalStateException(what + " failed: " + failure, failure);
    }
  }
}
