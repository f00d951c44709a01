package io.warpengine.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Runs one task per thread, all released at once by a barrier, and gathers what they recorded. */
public final class Concurrently {

  /** What one thread runs; {@code thread} counts from 0. */
  @FunctionalInterface
  public interface Caller<T> {
    List<T> run(int thread) throws Exception;
  }

  private Concurrently() {}

  /** Runs {@code caller} on {@code threads} threads at once; returns every thread's records. */
  public static <T> List<T> run(int threads, Caller<T> caller)
      throws InterruptedException, ExecutionException {
    CyclicBarrier start = new CyclicBarrier(threads);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<List<T>>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        futures.add(pool.submit(() -> {
          start.await();
          return caller.run(thread);
        }));
      }
      List<T> all = new ArrayList<>();
      for (Future<List<T>> f : futures) {
        all.addAll(f.get());
      }
      return all;
    } finally {
      pool.shutdownNow();
    }
  }
}
