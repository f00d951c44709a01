package io.warpengine.physics.cache.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Many producers against a small ring, used as the plugin uses it: a producer that finds it full
 * drains it under the drain lock, and a background drainer races them. The model: each
 * producer's events must arrive exactly once and in the order it offered them, none lost, none
 * duplicated, none torn from its key.
 */
class WriteBufferTest {

  @ParameterizedTest(name = "producers={0} capacity={1}")
  @CsvSource({"8, 4", "8, 64", "3, 1"})
  void everyWriteArrivesOnceInItsProducersOrder(int producers, int capacity) throws Exception {
    int perProducer = 50_000;
    WriteBuffer buffer = new WriteBuffer(capacity);
    ReentrantLock drainLock = new ReentrantLock();
    long[] next = new long[producers]; // the next event expected from each producer
    WriteBuffer.Consumer check = (key, event) -> {
      int producer = Integer.parseInt(key.substring(1));
      assertEquals(next[producer], event, key);
      next[producer]++;
    };
    Runnable drain = () -> {
      drainLock.lock();
      try {
        buffer.drainTo(check);
      } finally {
        drainLock.unlock();
      }
    };
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int p = 0; p < producers; p++) {
      String key = "p" + p;
      threads.add(Thread.ofPlatform().start(() -> {
        awaitQuietly(start);
        for (long e = 0; e < perProducer; e++) {
          while (!buffer.offer(key, e)) {
            drain.run();
          }
        }
      }));
    }
    Thread drainer = Thread.ofPlatform().start(() -> {
      awaitQuietly(start);
      while (!Thread.currentThread().isInterrupted()) {
        drain.run();
        Thread.onSpinWait();
      }
    });
    start.countDown();
    for (Thread t : threads) {
      t.join();
    }
    drainer.interrupt();
    drainer.join();
    drain.run();
    for (int p = 0; p < producers; p++) {
      assertEquals(perProducer, next[p], "events of producer " + p);
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
